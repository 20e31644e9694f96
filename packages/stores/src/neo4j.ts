import neo4j, { type Driver } from 'neo4j-driver';

export interface Neo4jStore {
  driver: Driver;
  database: string;
  close(): Promise<void>;
  ping(): Promise<void>;
}

/**
 * Connects to Neo4j from `<PREFIX>_NEO4J_URI` (falling back to `NEO4J_URI`), so that Metis and
 * Odin share one server in development and can be split in production.
 */
export function neo4jFromEnv(prefix: string, env: NodeJS.ProcessEnv = process.env): Neo4jStore {
  const get = (key: string) => env[`${prefix}_NEO4J_${key}`] ?? env[`NEO4J_${key}`];
  const uri = get('URI');
  if (!uri) throw new Error(`${prefix}_NEO4J_URI or NEO4J_URI must be set`);
  const user = get('USER');
  const auth = user ? neo4j.auth.basic(user, get('PASSWORD') ?? '') : undefined;
  const driver = neo4j.driver(uri, auth, {
    maxConnectionPoolSize: Number(get('POOL_SIZE') ?? 50),
    disableLosslessIntegers: true,
    logging: { level: 'warn', logger: (level, message) => console.warn(`[neo4j ${level}] ${message}`) },
  });
  const database = get('DATABASE') ?? 'neo4j';
  return {
    driver,
    database,
    close: () => driver.close(),
    ping: async () => {
      await driver.executeQuery('RETURN 1', {}, { database });
    },
  };
}
