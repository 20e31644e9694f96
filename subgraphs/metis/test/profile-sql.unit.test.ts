import { describe, expect, it } from 'vitest';
import { parseProfileSchedules } from '../src/profile/config.js';
import { ident, profileSql, readProfile } from '../src/profile/sql.js';

describe('profile SQL', () => {
  it('asks min/max only of columns the principal reads in clear, with positional aliases', () => {
    const sql = profileSql('icebase.retail.customers', [
      { name: 'region', masked: false },
      { name: 'email', masked: true },
      { name: 'Odd "name"', masked: false },
    ]);
    expect(sql).toBe(
      'SELECT count(*) AS row_count, count(region) AS c0_n, count(DISTINCT region) AS c0_d, ' +
        'CAST(min(region) AS VARCHAR) AS c0_min, CAST(max(region) AS VARCHAR) AS c0_max, ' +
        'count(email) AS c1_n, count(DISTINCT email) AS c1_d, ' +
        'count("Odd ""name""") AS c2_n, count(DISTINCT "Odd ""name""") AS c2_d, ' +
        'CAST(min("Odd ""name""") AS VARCHAR) AS c2_min, CAST(max("Odd ""name""") AS VARCHAR) AS c2_max ' +
        'FROM icebase.retail.customers',
    );
    expect(ident('plain_1')).toBe('plain_1');
    expect(ident('a-b')).toBe('"a-b"');
  });

  it('reads the answer back: nulls from counts, never a masked min/max even if one came back', () => {
    const columns = [
      { name: 'region', masked: false },
      { name: 'email', masked: true },
    ];
    const names = ['row_count', 'c0_n', 'c0_d', 'c0_min', 'c0_max', 'c1_n', 'c1_d', 'c1_min'];
    const { rowCount, stats } = readProfile(columns, names, ['10', '8', '3', 'EU', 'US', 10, 10, 'hash']);
    expect(rowCount).toBe(10);
    expect(stats).toEqual([
      { name: 'region', nullCount: 2, distinctCount: 3, min: 'EU', max: 'US', masked: false },
      { name: 'email', nullCount: 0, distinctCount: 10, min: null, max: null, masked: true },
    ]);
    expect(() => readProfile(columns, ['row_count'], ['1'])).toThrow(/c0_n/);
    expect(() => readProfile(columns, names, ['x', 1, 1, null, null, 1, 1])).toThrow(/not a number/);
  });

  it('parses METIS_PROFILES and refuses bad values', () => {
    expect(parseProfileSchedules(undefined)).toEqual([]);
    expect(parseProfileSchedules('[{"urn":"dataos://icebase:retail/customers","everySeconds":3600}]')).toEqual([
      { urn: 'dataos://icebase:retail/customers', everySeconds: 3600 },
    ]);
    expect(() => parseProfileSchedules('{')).toThrow(/not JSON/);
    expect(() => parseProfileSchedules('[{"urn":"dataos://icebase:retail/c","everySeconds":5}]')).toThrow(
      /METIS_PROFILES/,
    );
    expect(() => parseProfileSchedules('[{"urn":"nope","everySeconds":60}]')).toThrow(/not a dataset URN/);
    const onTrino = '[{"urn":"dataos://icebase:retail/c","everySeconds":60,"cluster":"minerva-trino"}]';
    expect(parseProfileSchedules(onTrino)[0]!.cluster).toBe('minerva-trino');
    expect(() =>
      parseProfileSchedules('[{"urn":"dataos://icebase:retail/c","everySeconds":60,"cluster":"Bad Name"}]'),
    ).toThrow(/Minerva cluster name/);
  });
});
