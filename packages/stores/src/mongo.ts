import { MongoClient, type Db } from 'mongodb';

export interface MongoStore {
  client: MongoClient;
  db: Db;
  close(): Promise<void>;
  ping(): Promise<void>;
}

/**
 * Connects to MongoDB from `<PREFIX>_MONGO_URL` (falling back to `MONGO_URL`); the database is
 * `<PREFIX>_MONGO_DB` or the service's default. Tests pass their own database name to isolate.
 */
export async function mongoFromEnv(
  prefix: string,
  defaultDb: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<MongoStore> {
  const url = env[`${prefix}_MONGO_URL`] ?? env.MONGO_URL;
  if (!url) throw new Error(`${prefix}_MONGO_URL or MONGO_URL must be set`);
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 5000, maxPoolSize: 50 });
  await client.connect();
  const db = client.db(env[`${prefix}_MONGO_DB`] ?? defaultDb);
  return {
    client,
    db,
    close: () => client.close(),
    ping: async () => {
      await db.command({ ping: 1 });
    },
  };
}
