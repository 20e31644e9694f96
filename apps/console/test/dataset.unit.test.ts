import { describe, expect, it } from 'vitest';
import { describeFreshness, formatBytes, formatDuration, freshnessStatus } from '../src/pages/dataset/freshness.js';
import { changesValue, masksFor, rowFiltersFor, type ExplainScan } from '../src/pages/dataset/masks.js';
import { selectAllSql } from '../src/pages/dataset/sql.js';

describe('the SQL the Gateway explains for a dataset', () => {
  it('quotes depot, collection and dataset', () => {
    expect(selectAllSql('dataos://icebase:retail/customers')).toBe('SELECT * FROM "icebase"."retail"."customers"');
  });

  it('refuses anything that is not a dataset URN', () => {
    expect(selectAllSql('dataos://icebase:retail/customers; DROP TABLE x')).toBeUndefined();
    expect(selectAllSql('dataos://icebase:retail/a/b')).toBeUndefined();
  });
});

describe('masks for the signed-in user', () => {
  const scans: ExplainScan[] = [
    {
      dataset: 'dataos://icebase:retail/customers',
      columns: [
        { name: 'email', mask: 'HASH', policy: 'pii-email' },
        { name: 'region', mask: null, policy: null },
        { name: 'Phone', mask: 'PASS_THROUGH', policy: 'pii-readers' },
      ],
      filters: ['customers-by-region'],
      exemptions: [],
    },
    {
      dataset: 'dataos://icebase:retail/orders',
      columns: [{ name: 'id', mask: 'REDACT', policy: 'x' }],
      filters: [],
      exemptions: [],
    },
  ];

  it('keeps the columns of this dataset that have a winning mask, by lower-case name', () => {
    const masks = masksFor('dataos://icebase:retail/CUSTOMERS', scans);
    expect([...masks.keys()]).toEqual(['email', 'phone']);
    expect(masks.get('email')).toEqual({ operator: 'HASH', policy: 'pii-email' });
  });

  it('does not count an exemption as masked', () => {
    const masks = masksFor('dataos://icebase:retail/customers', scans);
    expect(changesValue(masks.get('email'))).toBe(true);
    expect(changesValue(masks.get('phone'))).toBe(false);
    expect(changesValue(masks.get('region'))).toBe(false);
  });

  it('lists the row filters applied', () => {
    expect(rowFiltersFor('dataos://icebase:retail/customers', scans).filters).toEqual(['customers-by-region']);
    expect(rowFiltersFor('dataos://nowhere:x/y', scans)).toEqual({ filters: [], exemptions: [] });
  });
});

describe('freshness against the SLO', () => {
  it('formats durations with two units at most', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(3 * 86_400 + 4 * 3600 + 59)).toBe('3 d 4 h');
    expect(formatDuration(86_400 + 59)).toBe('1 d');
    expect(formatDuration(125)).toBe('2 min 5 s');
  });

  it('says late, within, without SLO, or never', () => {
    expect(freshnessStatus({ ageSeconds: null })).toBe('never');
    expect(describeFreshness({ ageSeconds: 7200, sloSeconds: 3600, stale: true })).toBe(
      'Refreshed 2 h ago: late, the SLO is 1 h (1 h over).',
    );
    expect(describeFreshness({ ageSeconds: 60, sloSeconds: 3600, stale: false })).toBe(
      'Refreshed 1 min ago: within its SLO of 1 h.',
    );
    expect(describeFreshness({ ageSeconds: 60, sloSeconds: null })).toBe('Refreshed 1 min ago; no freshness SLO.');
  });

  it('formats sizes in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(212_600_000)).toBe('202.8 MiB');
  });
});
