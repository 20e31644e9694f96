import { describe, expect, it } from 'vitest';
import { Kind, parse, type FragmentDefinitionNode, type GraphQLError, type OperationDefinitionNode } from 'graphql';
import { visiblePage } from '../src/paging.js';
import { visibleLineage, type LineageGraph } from '../src/store/lineage.js';
import type { DatasetRecord, EdgeRecord } from '../src/store/records.js';
import { rankScore } from '../src/store/search.js';
import { fingerprint } from '../src/store/writes.js';
import { selectsAny } from '../src/resolvers/selection.js';
import { ftKey, ftText, luceneQuery, rankTerms } from '../src/text.js';
import { assertResourceUrn, assertUrn, objectPaths, parseDatasetUrn, parseResourceUrn } from '../src/urn.js';
import { ingestInput, ingestTargets } from '../src/validate.js';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as GraphQLError).extensions;
  }
  return null;
};

describe('URNs', () => {
  it('parses dataset and resource URNs and refuses others with the field', () => {
    expect(parseDatasetUrn('dataos://icebase:retail/customers')).toEqual({
      urn: 'dataos://icebase:retail/customers',
      depot: 'icebase',
      collection: 'retail',
      name: 'customers',
    });
    expect(parseResourceUrn('dataos://workflow:retail/orders-ingest')).toEqual({
      urn: 'dataos://workflow:retail/orders-ingest',
      kind: 'WORKFLOW',
      workspace: 'retail',
      name: 'orders-ingest',
    });
    // the alias form reads as the same resource
    expect(parseResourceUrn('resource://workflow/retail/orders-ingest')?.urn).toBe(
      'dataos://workflow:retail/orders-ingest',
    );
    for (const bad of [
      'icebase:retail/customers',
      'dataos://icebase/customers',
      'dataos://1ce:retail/x',
      'dataos://a:b/c d',
      '',
    ]) {
      expect(
        codeOf(() => assertUrn(bad, 'input.urn')),
        bad,
      ).toEqual({ code: 'BAD_USER_INPUT', field: 'input.urn' });
    }
    for (const bad of [
      'resource://pod/public/x',
      'dataos://pod:public/x',
      'dataos://workflow/x',
      'workflow:v1:x:public',
    ]) {
      expect(codeOf(() => assertResourceUrn(bad, 'via'))).toEqual({ code: 'BAD_USER_INPUT', field: 'via' });
    }
    expect(objectPaths.resource('dataos://workflow:public/wf')).toBe('/metis/resources/workflow/public/wf');
    expect(objectPaths.glossaryTerm('Customer / Client')).toBe('/metis/glossary/Customer%20%2F%20Client');
  });
});

describe('full-text helpers', () => {
  it('splits identifiers, tags and camelCase into words, keeping the whole identifier', () => {
    expect(ftText('customer_id')).toBe('customer id customerid');
    expect(ftText('PII.PhoneNumber')).toBe('pii phone number piiphonenumber');
    expect(ftKey('Customer_360')).toBe('customer360');
  });

  it('builds Lucene queries from letters and digits only (nothing to escape or inject)', () => {
    expect(luceneQuery('  "orders" *:* ')).toBe(
      '(ftName:orders^4 OR ftTags:orders^2 OR description:orders OR ftContext:orders^0.5 OR ftName:orders*^1.5)',
    );
    const q = luceneQuery('customer e-mail')!;
    expect(q.split(' AND ')).toHaveLength(3);
    expect(q).not.toMatch(/[":\\]\*:/);
    expect(luceneQuery('!!! ---')).toBeNull();
  });
});

describe('visible pages', () => {
  const rows = Array.from({ length: 50 }, (_, i) => String(i).padStart(2, '0'));
  const fetch = async (after: string, scan: number) => rows.filter((r) => r > after).slice(0, scan);

  it('fills a page past hidden rows and ends on the last one shown', async () => {
    const page = await visiblePage({
      first: 3,
      after: '',
      fetch,
      keyOf: (r) => r,
      visible: async (r) => r.filter((x) => Number(x) % 10 === 0),
    });
    expect(page).toEqual({ items: ['00', '10', '20'], hasNextPage: true, endKey: '20' });
  });

  it('bounds the scan: a page of hidden rows only is short and continues after them', async () => {
    let fetched = 0;
    const page = await visiblePage({
      first: 1,
      after: '',
      fetch: async (a, s) => ((fetched += 1), fetch(a, s)),
      keyOf: (r) => r,
      visible: async () => [],
    });
    expect(fetched).toBe(4);
    expect(page.items).toEqual([]);
    expect(page.hasNextPage).toBe(false);
  });
});

describe('lineage visibility', () => {
  const d = (urn: string) => ({ urn }) as DatasetRecord;
  const e = (up: string, down: string): EdgeRecord => ({
    upstreamUrn: up,
    downstreamUrn: down,
    viaUrn: null,
    job: null,
    columns: [],
  });
  const graph: LineageGraph = {
    root: 'a',
    datasets: ['a', 'b', 'h', 'c', 'f'].map(d),
    edges: [e('a', 'b'), e('b', 'c'), e('a', 'h'), e('h', 'f'), e('c', 'f')],
    scanCut: false,
  };

  it('keeps only what is reachable through readable datasets, at its visible distance', () => {
    const all = visibleLineage(graph, 'DOWNSTREAM', 5, new Set(['a', 'b', 'h', 'c', 'f']));
    expect(all.hops.map((x) => `${x.urn}${x.distance}`)).toEqual(['b1', 'h1', 'c2', 'f2']);
    const hidden = visibleLineage(graph, 'DOWNSTREAM', 5, new Set(['a', 'b', 'c', 'f']));
    expect(hidden.hops.map((x) => `${x.urn}${x.distance}`)).toEqual(['b1', 'c2', 'f3']);
    expect(hidden.edges.map((x) => `${x.upstreamUrn}${x.downstreamUrn}`)).toEqual(['ab', 'bc', 'cf']);
    const short = visibleLineage(graph, 'DOWNSTREAM', 2, new Set(['a', 'b', 'c', 'f']));
    expect(short.hops.map((x) => x.urn)).toEqual(['b', 'c']);
    expect(visibleLineage(graph, 'UPSTREAM', 5, new Set(['a', 'b', 'c', 'f'])).hops).toEqual([]);
  });

  it('caps by distance over readable datasets only, and only then says truncated', () => {
    // a -> b, a -> h, h -> f (h hidden); b -> c -> f
    expect(visibleLineage(graph, 'DOWNSTREAM', 5, new Set(['a', 'b', 'c', 'f']), 3).truncated).toBe(false);
    const capped = visibleLineage(graph, 'DOWNSTREAM', 5, new Set(['a', 'b', 'h', 'c', 'f']), 3);
    expect(capped.hops.map((x) => `${x.urn}${x.distance}`)).toEqual(['b1', 'h1', 'c2']);
    expect(capped.truncated).toBe(true);
    expect(capped.edges.map((x) => `${x.upstreamUrn}${x.downstreamUrn}`)).toEqual(['ab', 'ah', 'bc']);
    expect(visibleLineage({ ...graph, scanCut: true }, 'DOWNSTREAM', 5, new Set(['a'])).truncated).toBe(true);
  });
});

describe('ingest input', () => {
  const base = {
    source: { name: 'icebase' },
    datasets: [{ urn: 'dataos://icebase:retail/x', columns: [{ name: 'a', type: 'int' }] }],
  };

  it('normalizes, and fingerprints the same input the same way', () => {
    const { datasets, sourceDetails } = ingestInput(base as never);
    expect(datasets[0]).toEqual({
      urn: 'dataos://icebase:retail/x',
      name: 'x',
      kind: 'TABLE',
      columns: [{ name: 'a', type: 'int', nullable: true }],
    });
    expect(sourceDetails).toBe(false);
    expect(fingerprint(ingestInput(base as never).datasets[0]!)).toBe(fingerprint(datasets[0]!));
  });

  it('fingerprints an unchanged input as earlier versions did (re-ingesting it still writes nothing)', () => {
    const rich = {
      source: { name: 'icebase', type: 'iceberg', description: 'd', connection: [{ key: 'host', value: 'h' }] },
      datasets: [
        {
          urn: 'dataos://icebase:retail/x',
          name: 'X',
          kind: 'VIEW',
          description: 'about x',
          format: 'parquet',
          layer: 'clean',
          tags: ['PII', 'Tier.Gold', 'PII'],
          domain: 'retail',
          glossaryTerms: ['Customer'],
          freshnessSloSeconds: 3600,
          owners: [{ id: 'users:id:a', name: 'A', email: 'a@x' }, { id: 'teams:id:t' }],
          columns: [
            {
              name: 'a',
              type: 'int',
              nullable: false,
              description: 'col',
              tags: ['PII.Email'],
              glossaryTerms: ['Customer'],
            },
            { name: 'b', type: 'text' },
          ],
        },
        { urn: 'dataos://icebase:retail/y', domain: null, description: null, columns: [] },
      ],
    };
    const { datasets, refs, sourceDetails } = ingestInput(rich as never);
    expect(datasets.map(fingerprint)).toEqual([
      'VMQElnOdYlfpyMQ9VK2JiQ6kMVF5YFSArfqZYFOJj9g',
      'EAsswa4_MlvplqXrRYdzdmkNhLfgvRrVIM08e1ZBVVM',
    ]);
    expect(refs.domains).toEqual([{ name: 'retail', field: 'input.datasets[0].domain' }]);
    expect(refs.terms?.map((t) => t.field)).toEqual([
      'input.datasets[0].glossaryTerms[0]',
      'input.datasets[0].columns[0].glossaryTerms[0]',
    ]);
    expect(sourceDetails).toBe(true);
  });

  it('checks only what names the written objects before authorization, the rest after', () => {
    const invalid = {
      source: { name: 'icebase', connection: [{ key: 'password', value: 'x' }] },
      datasets: [
        {
          urn: 'dataos://icebase:retail/x',
          tags: ['PII'],
          domain: 'retail',
          layer: 'gold',
          columns: [{ name: '', type: 'int' }],
        },
      ],
    };
    expect(ingestTargets(invalid as never)).toEqual({
      source: 'icebase',
      sourceDetails: true,
      datasets: [{ urn: 'dataos://icebase:retail/x', tags: ['PII'], domain: 'retail' }],
    });
    expect(codeOf(() => ingestInput(invalid as never))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.source.connection[0].key',
    });
    const badTarget = { ...invalid, datasets: [{ ...invalid.datasets[0], tags: ['has space'] }] };
    expect(codeOf(() => ingestTargets(badTarget as never))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.datasets[0].tags[0]',
    });
  });

  it('refuses too many datasets and secrets, naming the field', () => {
    const many = { ...base, datasets: Array.from({ length: 5001 }, () => base.datasets[0]) };
    expect(codeOf(() => ingestInput(many as never))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.datasets' });
    const secret = { ...base, source: { name: 'icebase', connection: [{ key: 'apiKey', value: 'x' }] } };
    expect(codeOf(() => ingestInput(secret as never))).toMatchObject({ field: 'input.source.connection[0].key' });
  });

  it('refuses credentials inside connection values, naming the key and never echoing the value', () => {
    const withValue = (value: string) => ({
      ...base,
      source: {
        name: 'icebase',
        connection: [
          { key: 'host', value: 'h' },
          { key: 'url', value },
        ],
      },
    });
    for (const value of [
      'postgres://u:pa55@h:5432/db',
      'jdbc:sqlserver://h;user=a;password=pa55',
      'host=h password=pa55',
      'https://a.blob.core.windows.net/c?sv=1&sig=pa55',
    ]) {
      const error = codeOf(() => ingestInput(withValue(value) as never));
      expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.source.connection[1].value' });
    }
    expect(() => ingestInput(withValue('postgres://u:pa55@h/db') as never)).toThrow(/"url"/);
    expect(() => ingestInput(withValue('postgres://u:pa55@h/db') as never)).not.toThrow(/pa55/);
    for (const value of [
      'postgres://reader@h:5432/db',
      'abfss://c@acct.dfs.core.windows.net/x',
      'http://registry:8081',
    ]) {
      expect(() => ingestInput(withValue(value) as never)).not.toThrow();
    }
  });
});

describe('search ranking and selection', () => {
  const hit = (ftName: string, more: { ftTags?: string; description?: string; layer?: string } = {}) => ({
    ftName,
    ftTags: more.ftTags ?? '',
    description: more.description ?? null,
    layer: more.layer ?? null,
  });

  it('scores a hit from its own fields: name word, name prefix, tag, description, otherwise; coverage; layer', () => {
    const customer = rankTerms('customer');
    // a name word (4) covering 2 of 3 name words, curated
    expect(rankScore(customer, hit('customer id customerid', { layer: 'curated' }))).toBeCloseTo(
      (4 + 0.5 * (2 / 3)) / 4.5,
      6,
    );
    // a word the name starts with (3: `customers` stems to `customer`)
    expect(rankScore(rankTerms('customers'), hit('customer', { layer: 'serving' }))).toBeCloseTo((3 + 0.5) / 4.5, 6);
    // a tag (2), raw
    expect(rankScore(rankTerms('email'), hit('contact', { ftTags: 'pii email piiemail' }))).toBeCloseTo(
      2 / 4.5 / 1.25,
      6,
    );
    // the description (1), clean
    expect(rankScore(customer, hit('orders', { description: 'Orders by Customers', layer: 'clean' }))).toBeCloseTo(
      (1 / 4.5) * (1.1 / 1.25),
      6,
    );
    // matched elsewhere only (context, stemming)
    expect(rankScore(customer, hit('orders'))).toBeCloseTo(0.5 / 4.5 / 1.25, 6);
    // averaged over the words, and never above 1
    expect(rankScore(rankTerms('customer orders'), hit('customer'))).toBeCloseTo((4.5 / 2 + 0.5) / 4.5 / 1.25, 6);
    expect(rankScore(customer, hit('customer', { layer: 'curated' }))).toBe(1);
  });

  it('tells whether a field is selected, through inline and named fragments', () => {
    const infoOf = (source: string) => {
      const doc = parse(source);
      const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
      const field = op.selectionSet.selections[0]!;
      const fragments = Object.fromEntries(
        doc.definitions
          .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
          .map((d) => [d.name.value, d]),
      );
      return { fieldNodes: [field as never], fragments };
    };
    const names = ['totalCount', 'facets'];
    expect(selectsAny(infoOf('{ search(query: "x") { edges { cursor } } }'), names)).toBe(false);
    expect(selectsAny(infoOf('{ search(query: "x") { totalCount } }'), names)).toBe(true);
    expect(
      selectsAny(
        infoOf('{ search(query: "x") { ... on CatalogSearchConnection { facets { types { value } } } } }'),
        names,
      ),
    ).toBe(true);
    expect(
      selectsAny(
        infoOf(
          '{ search(query: "x") { ...A } } fragment A on CatalogSearchConnection { ...B } fragment B on CatalogSearchConnection { totalCount }',
        ),
        names,
      ),
    ).toBe(true);
    // a field of that name deeper down is not the connection's
    expect(
      selectsAny(infoOf('{ search(query: "x") { edges { node { type } } pageInfo { hasNextPage } } }'), ['type']),
    ).toBe(false);
  });
});
