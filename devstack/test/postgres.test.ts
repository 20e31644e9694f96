import pg from 'pg';
import { describe, expect, it } from 'vitest';

// The devstack's PostgreSQL: the demo crmdb, read through its read-only role and its password.
const CRMDB_URL = process.env.CRMDB_URL ?? 'postgres://crm_reader@127.0.0.1:4470/crmdb';
const CRMDB_PASSWORD = process.env.CRMDB_PASSWORD ?? 'crm-reader-dev';

async function asReader<T>(password: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const url = new URL(CRMDB_URL);
  const client = new pg.Client({
    host: url.hostname,
    port: Number(url.port),
    database: url.pathname.slice(1),
    user: url.username,
    password,
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe('PostgreSQL (Debian postgresql 15)', () => {
  it('holds the demo crmdb: schemas, keys, comments and views', async () => {
    await asReader(CRMDB_PASSWORD, async (client) => {
      const schemas = await client.query<{ nspname: string }>(
        `SELECT nspname FROM pg_namespace WHERE nspname IN ('public', 'sales', 'support') ORDER BY 1`,
      );
      expect(schemas.rows.map((r) => r.nspname)).toEqual(['public', 'sales', 'support']);
      const contacts = await client.query('SELECT full_name, email FROM public.customer_contacts ORDER BY customer_id');
      expect(contacts.rows[0]).toEqual({ full_name: 'Ada Lovelace', email: 'ada@example.com' });
      const keys = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
         WHERE n.nspname IN ('public', 'sales', 'support') AND c.contype IN ('p', 'f')`,
      );
      expect(Number(keys.rows[0]!.n)).toBeGreaterThanOrEqual(10);
      const comment = await client.query(`SELECT obj_description('public.customers'::regclass, 'pg_class') AS c`);
      expect(comment.rows[0].c).toMatch(/^CRM customer accounts/);
    });
  });

  it('lets the reader read, never write, and only with its password', async () => {
    await asReader(CRMDB_PASSWORD, async (client) => {
      await expect(client.query(`INSERT INTO sales.orders VALUES (99, 1, now(), 'placed', 'EUR')`)).rejects.toThrow(
        /permission denied/,
      );
    });
    await expect(asReader('not-the-password', async () => undefined)).rejects.toThrow(/password authentication failed/);
  });
});
