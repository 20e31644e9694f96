import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoTables } from '@dataos/gateway';
import { createTableSql, demoFingerprint, trinoType } from '../../scripts/lib/seed-trino.js';
import { findJdk25, trinoWarehouse } from '../src/trino.js';

type DemoTable = ReturnType<typeof demoTables>[number];

describe('demo lakehouse seeding (SQL for Trino)', () => {
  it('maps the demo column types to Iceberg-compatible Trino types', () => {
    expect(['BIGINT', 'VARCHAR', 'DATE', 'TIMESTAMP', 'DECIMAL(12,2)'].map(trinoType)).toEqual([
      'bigint',
      'varchar',
      'date',
      'timestamp(6)',
      'decimal(12,2)',
    ]);
    expect(() => trinoType('BLOB')).toThrow(/No Trino type/);
  });

  it('quotes names and values, and keeps nulls typed', () => {
    const table: DemoTable = {
      depot: 'icebase',
      collection: 'retail',
      dataset: 'odd"name',
      columns: [
        { name: 'id', type: 'BIGINT', tags: [] },
        { name: 'who', type: 'VARCHAR', tags: [] },
      ],
      rows: [
        [1, "O'Brien'); DROP TABLE x; --"],
        [2, null],
      ],
    };
    const sql = createTableSql(table);
    expect(sql).toContain('CREATE OR REPLACE TABLE "icebase"."retail"."odd""name" AS SELECT');
    expect(sql).toContain("('1', 'O''Brien''); DROP TABLE x; --')");
    expect(sql).toContain("('2', CAST(NULL AS varchar))");
    expect(sql).toContain('CAST(c1 AS varchar) AS "who"');
  });

  it('fingerprints the rows, so a changed row is written again', () => {
    const [customers] = demoTables();
    const changed = {
      ...customers!,
      rows: [[...customers!.rows[0]!.slice(0, -1), '2022-01-01 00:00:00'], ...customers!.rows.slice(1)],
    };
    expect(demoFingerprint(customers!)).toBe(demoFingerprint(demoTables()[0]!));
    expect(demoFingerprint(changed)).not.toBe(demoFingerprint(customers!));
  });
});

describe('devstack Trino settings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jdk-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const fakeJdk = (name: string, version: string) => {
    const home = join(dir, name);
    mkdirSync(join(home, 'bin'), { recursive: true });
    writeFileSync(join(home, 'bin', 'java'), '');
    writeFileSync(join(home, 'release'), `IMPLEMENTOR="test"\nJAVA_VERSION="${version}"\n`);
    return home;
  };

  it('finds a JDK 25 by its release file, not by its name', () => {
    const jdk17 = fakeJdk('jdk-a', '17.0.15');
    const jdk25 = fakeJdk('jdk-b', '25.0.3');
    expect(findJdk25({ JAVA25_HOME: jdk25 })).toBe(jdk25);
    // JAVA_HOME is a JDK 17: the next candidate is taken (a JDK 25 installed on the machine, or none).
    expect(findJdk25({ JAVA_HOME: jdk17 })).not.toBe(jdk17);
  });

  it('keeps the lakehouse on S3 when the devstack has an S3 server, else in a folder', () => {
    expect(trinoWarehouse({ S3_ENDPOINT: 'http://127.0.0.1:4490' })).toBe('s3://lakehouse');
    expect(trinoWarehouse({})).toMatch(/\/trino\/warehouse$/);
    expect(trinoWarehouse({ S3_ENDPOINT: 'http://x', TRINO_WAREHOUSE: 's3://other/p' })).toBe('s3://other/p');
  });
});
