import { createHash } from 'node:crypto';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { demoTables } from '@dataos/gateway';
import { s3Client, s3SettingsFromEnv, trinoQuery } from '@dataos/devstack';
import { trinoWarehouse } from '../src/trino.js';

const url = () => {
  const value = process.env.TRINO_URL;
  if (!value) throw new Error('TRINO_URL is not set: the devstack should have started Trino');
  return value;
};

/** A value as the demo CSV holds it: numbers as numbers, timestamps to the second. */
function normalize(value: unknown, type: string): string | number | null {
  if (value === null) return null;
  if (/^(BIGINT|DECIMAL)/.test(type)) return Number(value);
  if (type === 'TIMESTAMP') return String(value).slice(0, 19);
  return String(value);
}

describe('Trino in the devstack (Minerva over the Iceberg lakehouse)', () => {
  it('answers over the client protocol and sees who asks', async () => {
    const { rows } = await trinoQuery(url(), "SELECT current_user, to_hex(sha256(to_utf8('a@b.c')))", {
      user: 'alice',
    });
    expect(rows).toEqual([['alice', createHash('sha256').update('a@b.c').digest('hex').toUpperCase()]]);
    const history = await trinoQuery(
      url(),
      'SELECT "user" FROM system.runtime.queries WHERE query LIKE \'SELECT current_user, to_hex%\' AND "user" = \'alice\'',
    );
    expect(history.rows.length).toBeGreaterThan(0);
  });

  it('holds every demo table with the rows of the embedded engine', async () => {
    for (const table of demoTables()) {
      const name = `${table.depot}.${table.collection}.${table.dataset}`;
      const { columns, rows } = await trinoQuery(
        url(),
        `SELECT * FROM ${name} ORDER BY ${table.columns.map((_, i) => i + 1).join(', ')}`,
      );
      expect(columns, name).toEqual(table.columns.map((c) => c.name));
      const got = rows.map((row) => row.map((v, i) => normalize(v, table.columns[i]!.type)));
      const want = [...table.rows]
        .sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0))
        .map((row) => row.map((v, i) => normalize(v, table.columns[i]!.type)));
      expect(got, name).toEqual(want);
    }
  });

  it('keeps them as Iceberg tables whose data files are in the warehouse (objects on S3 when configured)', async () => {
    const { rows } = await trinoQuery(
      url(),
      'SELECT file_path, file_format, record_count FROM icebase.retail."customers$files"',
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.reduce((n, r) => n + Number(r[2]), 0)).toBe(
      demoTables().find((t) => t.dataset === 'customers')!.rows.length,
    );
    const warehouse = trinoWarehouse(process.env);
    const prefix = warehouse.startsWith('s3://')
      ? `${warehouse}/icebase/retail/customers-`
      : 'local:///icebase/retail/customers-';
    for (const [path, format] of rows) {
      expect(path).toMatch(
        new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}[0-9a-f]+/data/.+\\.parquet$`),
      );
      expect(format).toBe('PARQUET');
    }
    const snapshots = await trinoQuery(url(), 'SELECT count(*) FROM icebase.retail."customers$snapshots"');
    expect(Number(snapshots.rows[0]![0])).toBeGreaterThan(0);

    if (warehouse.startsWith('s3://')) {
      // The same file, asked of the S3 server directly.
      const [bucket, ...key] = String(rows[0]![0]).slice('s3://'.length).split('/');
      const s3 = s3Client(s3SettingsFromEnv());
      try {
        const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key.join('/') }));
        expect(head.ContentLength).toBeGreaterThan(0);
      } finally {
        s3.destroy();
      }
    }
  });
});
