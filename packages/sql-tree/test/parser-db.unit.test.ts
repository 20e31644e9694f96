import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { DESERIALIZE_SQL, isObject, openParserDb, runText, SERIALIZE_SQL, text } from '../src/index.js';

let db: DuckDBInstance;
let connection: DuckDBConnection;

beforeAll(async () => {
  db = await openParserDb();
  connection = await db.connect();
});
afterAll(() => {
  connection.closeSync();
  db.closeSync();
});

const serialize = async (sql: string) => {
  const statement = await connection.prepare(SERIALIZE_SQL);
  try {
    return JSON.parse(await runText(statement, sql)) as { error: boolean; statements?: { node: unknown }[] };
  } finally {
    statement.destroySync();
  }
};

describe('the parser-only DuckDB', () => {
  it('parses SQL to its tree and prints the tree back', async () => {
    const tree = await serialize('SELECT a, lower(b) AS c FROM s.t WHERE a > 1');
    expect(tree.error).toBe(false);
    const node = tree.statements![0]!.node;
    expect(isObject(node) && text(node.type)).toBe('SELECT_NODE');
    const print = await connection.prepare(DESERIALIZE_SQL);
    try {
      const sql = await runText(print, JSON.stringify(tree));
      expect(sql).toMatch(/lower\(b\) AS c/);
      expect(sql).toMatch(/FROM s\.t/);
    } finally {
      print.destroySync();
    }
  });

  it('answers a parse error as data, not by throwing', async () => {
    expect(await serialize('SELEC 1')).toMatchObject({ error: true });
  });

  it('reaches no file and loads no extension, even when a statement is run on it', async () => {
    await expect(connection.run("SELECT * FROM read_text('/etc/hostname')")).rejects.toThrow(/disabled|Permission/i);
    await expect(connection.run("COPY (SELECT 1) TO 'leak.csv'")).rejects.toThrow(/disabled|Permission/i);
    await expect(connection.run('LOAD httpfs')).rejects.toThrow();
  });

  it('reads node fields defensively', () => {
    expect(text({ a: 1 }.a as never)).toBe('');
    expect(text('x')).toBe('x');
    expect(isObject([])).toBe(false);
    expect(isObject(null)).toBe(false);
  });
});
