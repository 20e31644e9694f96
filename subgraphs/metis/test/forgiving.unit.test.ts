import { describe, expect, it } from 'vitest';
import { schemaDiff } from '../src/schema-diff.js';
import { rankScore } from '../src/store/search.js';
import { allowedEdits, fuzzyLuceneQuery, nearWord, prefixLuceneQuery, rankTerms } from '../src/text.js';

describe('typo tolerance', () => {
  it('allows no edit under 4 letters, one up to 5, two from 6', () => {
    expect([allowedEdits('id'), allowedEdits('ord'), allowedEdits('ledgr'), allowedEdits('custmer')]).toEqual([
      0, 0, 1, 2,
    ]);
    expect(nearWord('custmer', ['customers'])).toBe(true);
    expect(nearWord('ledgr', ['ledger'])).toBe(true);
    expect(nearWord('ledgr', ['leader'])).toBe(false);
    expect(nearWord('cat', ['car'])).toBe(false);
  });

  it('builds fuzzy and prefix queries from letters and digits only', () => {
    expect(fuzzyLuceneQuery('custmer id')).toBe(
      '(ftName:custmer~2 OR ftTags:custmer) AND (ftName:id OR ftTags:id) AND NOT (ftName:custmer AND ftName:id)',
    );
    expect(fuzzyLuceneQuery('id ok')).toBeNull();
    expect(fuzzyLuceneQuery('cust~mer"')).toBe(
      '(ftName:cust~1 OR ftTags:cust) AND (ftName:mer OR ftTags:mer) AND NOT (ftName:cust AND ftName:mer)',
    );
    expect(prefixLuceneQuery('Cust* ord')).toBe('ftName:cust* AND ftName:ord*');
    expect(prefixLuceneQuery(' ~ ')).toBeNull();
  });

  it('ranks a typo below a true name match and above a description match', () => {
    const hit = (ftName: string, description: string | null = null) => ({
      ftName,
      ftTags: null,
      description,
      layer: 'clean',
    });
    const typo = rankScore(rankTerms('custmer'), hit('customers'));
    const exact = rankScore(rankTerms('customers'), hit('customers'));
    const prose = rankScore(rankTerms('custmer'), hit('orders', 'custmer orders'));
    expect(exact).toBeGreaterThan(typo);
    expect(typo).toBeGreaterThan(prose);
  });
});

describe('schemaDiff', () => {
  const col = (name: string, type: string, tags: string[] = []) => ({
    name,
    type,
    nullable: true,
    description: null,
    tags,
  });

  it('names columns added, removed, retyped and changed, and the dataset description and tags', () => {
    const before = {
      number: 3,
      description: 'a',
      tags: ['Tier.Gold'],
      columns: [col('id', 'int'), col('email', 'string')],
    };
    const after = {
      number: 4,
      description: 'b',
      tags: ['Tier.Silver'],
      columns: [col('id', 'bigint'), col('email', 'string', ['PII.Email']), col('region', 'string')],
    };
    expect(schemaDiff(before, after)).toEqual({
      from: 3,
      to: 4,
      descriptionChanged: true,
      tagsAdded: ['Tier.Silver'],
      tagsRemoved: ['Tier.Gold'],
      columnsAdded: [col('region', 'string')],
      columnsRemoved: [],
      columnsRetyped: [{ name: 'id', from: 'int', to: 'bigint' }],
      columnsChanged: [
        { name: 'email', descriptionChanged: false, nullableChanged: false, tagsAdded: ['PII.Email'], tagsRemoved: [] },
      ],
    });
  });

  it('treats the first version as everything added, and equal states as no change', () => {
    const only = { number: 1, description: null, tags: [], columns: [col('id', 'int')] };
    expect(schemaDiff(null, only)).toMatchObject({ from: null, to: 1, columnsAdded: [col('id', 'int')] });
    expect(schemaDiff(only, { ...only, number: 2 })).toMatchObject({
      descriptionChanged: false,
      columnsAdded: [],
      columnsRemoved: [],
      columnsRetyped: [],
      columnsChanged: [],
    });
  });
});
