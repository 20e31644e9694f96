import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes } from '@dataos/testkit';
import { INGEST, dataset, standardPolicies, startHarness, type Harness, type User } from './harness.js';

let h: Harness;
let wf: string;

interface Ref {
  datasetUrn: string | null;
  name: string | null;
  hidden: boolean;
}
interface ClassifiedColumn {
  name: string;
  tags: string[];
  classifications: { tag: string; propagated: boolean; source: Ref | null; path: Ref[] }[];
  classificationOrigins: { column: Ref; tags: string[]; distance: number; path: Ref[] }[];
  classificationOriginsTruncated: boolean;
  declassificationHistory: { removes: boolean; reason: string; by: string; upstream: Ref; downstream: Ref }[];
}

const REF = 'datasetUrn name hidden';
const COLUMNS = /* GraphQL */ `
  query ($urn: ID!) {
    dataset(urn: $urn) {
      columns {
        name
        tags
        classifications { tag propagated source { ${REF} } path { ${REF} } }
        classificationOrigins { column { ${REF} column { name type } } tags distance path { ${REF} } }
        classificationOriginsTruncated
        declassificationHistory { removes reason by upstream { ${REF} } downstream { ${REF} } }
      }
    }
  }
`;
const DECLASSIFY = /* GraphQL */ `
  mutation ($input: DeclassifyColumnEdgeInput!) {
    declassifyColumnEdge(input: $input) {
      upstream {
        name
      }
      downstream {
        name
      }
      viaUrn
      job
      transformation
      declassification {
        reason
        by
        at
      }
    }
  }
`;
const RECLASSIFY = DECLASSIFY.replace('declassifyColumnEdge', 'reclassifyColumnEdge');

async function columns(user: User, collection: string, name: string): Promise<Record<string, ClassifiedColumn>> {
  const res = await h.gql<{ dataset: { columns: ClassifiedColumn[] } | null }>(user, COLUMNS, {
    urn: h.urn(collection, name),
  });
  expect(res.errors).toBeUndefined();
  return Object.fromEntries(res.data!.dataset!.columns.map((c) => [c.name, c]));
}

const short = (r: Ref | null) => (r ? (r.hidden ? '?' : `${r.datasetUrn!.split('/').at(-1)}.${r.name}`) : null);
const propagated = (c: ClassifiedColumn) =>
  c.classifications
    .filter((x) => x.propagated)
    .map((x) => `${x.tag}<-${short(x.source)}:${x.path.map(short).join('>')}`);

function edge(up: [string, string, string], down: [string, string, string], reason = 'sha256 of the address') {
  return {
    edge: {
      upstream: h.urn(up[0], up[1]),
      upstreamColumn: up[2],
      downstream: h.urn(down[0], down[1]),
      downstreamColumn: down[2],
      via: wf,
      job: 'build',
    },
    reason,
  };
}

beforeAll(async () => {
  h = await startHarness();
  await h.policies([
    ...standardPolicies(h),
    {
      name: 'carol-stewards',
      subjects: [['roles:id:admin']],
      actions: ['read', 'write'],
      objects: { paths: [`dataos://${h.id}:*/**`], tags: [] },
    },
    {
      name: 'carol-declassifies',
      subjects: [['roles:id:admin']],
      actions: ['manage', 'delete'],
      objects: { paths: ['/metis/classification', '/metis/admin'], tags: [] },
    },
  ]);
  wf = `dataos://workflow:public/${h.id}-build`;
  const r = await h.gql(
    'bob',
    'mutation ($n: String!) { upsertResource(input: { kind: WORKFLOW, name: $n }) { urn } }',
    {
      n: `${h.id}-build`,
    },
  );
  expect(r.errors).toBeUndefined();
  const ing = await h.gql('bob', INGEST, {
    input: {
      source: { name: h.id },
      datasets: [
        // alice reads `retail` only: `vault` is hidden from her.
        dataset(h, 'vault', 'raw_people', {}, [
          { name: 'mail', type: 'string', tags: ['PII.Email'] },
          { name: 'born', type: 'date', tags: ['PII.DateOfBirth'] },
        ]),
        dataset(h, 'retail', 'customers', {}, [
          { name: 'email', type: 'string' },
          { name: 'phone', type: 'string', tags: ['PII.PhoneNumber'] },
          { name: 'birth_year', type: 'int' },
        ]),
        dataset(h, 'retail', 'c360', {}, [
          { name: 'email', type: 'string' },
          { name: 'contact', type: 'string' },
          { name: 'birth_year', type: 'int' },
        ]),
        dataset(h, 'retail', 'loop_a', {}, [{ name: 'x', type: 'string', tags: ['Tier.Gold'] }]),
        dataset(h, 'retail', 'loop_b', {}, [{ name: 'y', type: 'string' }]),
        dataset(h, 'retail', 'signups', {}, [
          { name: 'email', type: 'varchar' },
          { name: 'contact', type: 'varchar' },
          { name: 'customer_id', type: 'bigint' },
          { name: 'region', type: 'varchar' },
          { name: 'phone', type: 'varchar', tags: ['PII.PhoneNumber'] },
        ]),
      ],
    },
  });
  expect(ing.errors).toBeUndefined();
  const add = async (up: string, down: string, cols: [string, string][]) => {
    const upCollection = up === 'raw_people' ? 'vault' : 'retail';
    const res = await h.gql(
      'bob',
      `mutation ($input: AddLineageInput!) { addLineage(input: $input) { upstreamUrn } }`,
      {
        input: {
          upstream: h.urn(upCollection, up),
          downstream: h.urn('retail', down),
          via: wf,
          job: 'build',
          columns: cols.map(([u, d]) => ({ upstream: u, downstream: d, transformation: 'copy' })),
        },
      },
    );
    expect(res.errors).toBeUndefined();
  };
  await add('raw_people', 'customers', [
    ['mail', 'email'],
    ['born', 'birth_year'],
  ]);
  await add('customers', 'c360', [
    ['email', 'email'],
    ['phone', 'contact'],
    ['birth_year', 'birth_year'],
  ]);
  await add('loop_a', 'loop_b', [['x', 'y']]);
  await add('loop_b', 'loop_a', [['y', 'x']]);
}, 120_000);

afterAll(() => h?.stop());

describe('classifications along column lineage', () => {
  it('a derived column carries its upstream tags with their source and path, two hops away too', async () => {
    const c = await columns('bob', 'retail', 'c360');
    expect(c.email!.tags).toEqual([]);
    expect(propagated(c.email!)).toEqual(['PII.Email<-raw_people.mail:raw_people.mail>customers.email>c360.email']);
    expect(propagated(c.contact!)).toEqual(['PII.PhoneNumber<-customers.phone:customers.phone>c360.contact']);
    expect(c.email!.classificationOrigins.map((o) => [short(o.column), o.distance, o.tags])).toEqual([
      ['customers.email', 1, []],
      ['raw_people.mail', 2, ['PII.Email']],
    ]);
    expect(c.email!.classificationOriginsTruncated).toBe(false);
    const own = await columns('bob', 'retail', 'customers');
    expect(own.phone!.classifications).toEqual([{ tag: 'PII.PhoneNumber', propagated: false, source: null, path: [] }]);
  });

  it('an upstream column the caller may not read still passes its tags on, without its name', async () => {
    const c = await columns('alice', 'retail', 'c360');
    expect(propagated(c.email!)).toEqual(['PII.Email<-?:?>customers.email>c360.email']);
    expect(propagated(c.birth_year!)).toEqual(['PII.DateOfBirth<-?:?>customers.birth_year>c360.birth_year']);
    const hidden = c.email!.classificationOrigins.find((o) => o.column.hidden)!;
    expect(hidden.column).toEqual({ datasetUrn: null, name: null, hidden: true, column: null });
    expect(JSON.stringify(c)).not.toContain('vault');
    expect(JSON.stringify(c)).not.toContain('raw_people');
  });

  it('cycles end: each origin once, the column itself never its own origin', async () => {
    const a = await columns('alice', 'retail', 'loop_a');
    const b = await columns('alice', 'retail', 'loop_b');
    expect(a.x!.classificationOrigins.map((o) => short(o.column))).toEqual(['loop_b.y']);
    expect(a.x!.classifications.map((x) => `${x.tag}:${x.propagated}`)).toEqual(['Tier.Gold:false']);
    expect(propagated(b.y!)).toEqual(['Tier.Gold<-loop_a.x:loop_a.x>loop_b.y']);
  });

  it('many columns of many datasets cost the Neo4j queries of one', async () => {
    const query = (urns: string[]) =>
      `query { ${urns.map((u, i) => `d${i}: dataset(urn: "${u}") { columns { name classifications { tag source { name } } } }`).join(' ')} }`;
    const before1 = h.queries();
    expect((await h.gql('bob', query([h.urn('retail', 'c360')]))).errors).toBeUndefined();
    const one = h.queries() - before1;
    const before3 = h.queries();
    const three = await h.gql('bob', query(['c360', 'customers', 'loop_a'].map((n) => h.urn('retail', n))));
    expect(three.errors).toBeUndefined();
    expect(h.queries() - before3).toBe(one);
  });
});

describe('edges that remove the classification', () => {
  it('needs write on the downstream dataset and the declassify right: alice and bob are refused, nothing changes', async () => {
    const input = edge(['retail', 'customers', 'email'], ['retail', 'c360', 'email']);
    const alice = await h.gql('alice', DECLASSIFY, { input });
    expect(errorCodes(alice)).toEqual(['FORBIDDEN']);
    const bob = await h.gql('bob', DECLASSIFY, { input });
    expect(errorCodes(bob)).toEqual(['FORBIDDEN']);
    expect(bob.errors![0]!.extensions!.field).toBe('input');
    // Authorization first: a blank reason from someone who may not declassify is still FORBIDDEN.
    expect(errorCodes(await h.gql('bob', DECLASSIFY, { input: { ...input, reason: ' ' } }))).toEqual(['FORBIDDEN']);
    // A hidden upstream is NOT_FOUND for alice, as anywhere else.
    const hidden = edge(['vault', 'raw_people', 'mail'], ['retail', 'customers', 'email']);
    expect(errorCodes(await h.gql('alice', DECLASSIFY, { input: hidden }))).toEqual(['NOT_FOUND']);
    expect(propagated((await columns('bob', 'retail', 'c360')).email!)).toHaveLength(1);
  });

  it('validates: blank or long reasons, bad URNs, unknown edges', async () => {
    const input = edge(['retail', 'customers', 'email'], ['retail', 'c360', 'email']);
    const blank = await h.gql('carol', DECLASSIFY, { input: { ...input, reason: '  ' } });
    expect(errorCodes(blank)).toEqual(['BAD_USER_INPUT']);
    expect(blank.errors![0]!.extensions!.field).toBe('input.reason');
    const long = await h.gql('carol', DECLASSIFY, { input: { ...input, reason: 'x'.repeat(1001) } });
    expect(errorCodes(long)).toEqual(['BAD_USER_INPUT']);
    const urn = await h.gql('carol', DECLASSIFY, { input: { ...input, edge: { ...input.edge, upstream: 'nope' } } });
    expect(errorCodes(urn)).toEqual(['BAD_USER_INPUT']);
    expect(urn.errors![0]!.extensions!.field).toBe('input.edge.upstream');
    const none = await h.gql('carol', DECLASSIFY, {
      input: edge(['retail', 'customers', 'phone'], ['retail', 'c360', 'email']),
    });
    expect(errorCodes(none)).toEqual(['NOT_FOUND']);
    expect(none.errors![0]!.extensions!.field).toBe('input.edge');
    const noJob = await h.gql('carol', DECLASSIFY, { input: { ...input, edge: { ...input.edge, job: null } } });
    expect(errorCodes(noJob)).toEqual(['NOT_FOUND']);
  });

  it('a steward marks an edge: the propagation stops there, is recorded, and is undone the same way', async () => {
    const input = edge(['retail', 'customers', 'email'], ['retail', 'c360', 'email']);
    const res = await h.gql<{ declassifyColumnEdge: { declassification: { reason: string; by: string } } }>(
      'carol',
      DECLASSIFY,
      { input },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.declassifyColumnEdge.declassification).toMatchObject({
      reason: 'sha256 of the address',
      by: 'users:id:carol',
    });
    // Marking again changes nothing and records nothing.
    expect((await h.gql('carol', DECLASSIFY, { input: { ...input, reason: 'again' } })).errors).toBeUndefined();

    let c = await columns('alice', 'retail', 'c360');
    expect(propagated(c.email!)).toEqual([]);
    expect(c.email!.classificationOrigins).toEqual([]);
    expect(propagated(c.contact!)).toHaveLength(1); // other edges of the same workflow still propagate
    expect(propagated((await columns('alice', 'retail', 'customers')).email!)).toHaveLength(1);
    expect(c.email!.declassificationHistory).toEqual([
      {
        removes: true,
        reason: 'sha256 of the address',
        by: 'users:id:carol',
        upstream: { datasetUrn: h.urn('retail', 'customers'), name: 'email', hidden: false },
        downstream: { datasetUrn: h.urn('retail', 'c360'), name: 'email', hidden: false },
      },
    ]);
    const lineage = await h.gql<{
      column: { lineage: { edges: { upstream: { name: string }; declassification: { reason: string } | null }[] } };
    }>(
      'alice',
      `query ($urn: ID!) { column(datasetUrn: $urn, name: "email") { lineage(direction: UPSTREAM, depth: 1) { edges { upstream { name } declassification { reason } } } } }`,
      {
        urn: h.urn('retail', 'c360'),
      },
    );
    expect(lineage.data!.column.lineage.edges).toEqual([
      { upstream: { name: 'email' }, declassification: { reason: 'sha256 of the address' } },
    ]);

    const undo = await h.gql<{ reclassifyColumnEdge: { declassification: unknown } }>('carol', RECLASSIFY, {
      input: { ...input, reason: 'the hash was reversible' },
    });
    expect(undo.errors).toBeUndefined();
    expect(undo.data!.reclassifyColumnEdge.declassification).toBeNull();
    c = await columns('alice', 'retail', 'c360');
    expect(propagated(c.email!)).toEqual(['PII.Email<-?:?>customers.email>c360.email']);
    expect(c.email!.declassificationHistory.map((e) => [e.removes, e.reason])).toEqual([
      [false, 'the hash was reversible'],
      [true, 'sha256 of the address'],
    ]);
  });

  it('soft-deleting an edge does not stop the propagation (only a declassify mark does)', async () => {
    const target = {
      lineageEdge: {
        upstream: h.urn('retail', 'customers'),
        downstream: h.urn('retail', 'c360'),
        via: wf,
        job: 'build',
      },
    };
    const del = await h.gql('bob', 'mutation ($t: CatalogTargetInput!) { softDelete(target: $t) { key } }', {
      t: target,
    });
    expect(del.errors).toBeUndefined();
    expect(propagated((await columns('alice', 'retail', 'c360')).contact!)).toHaveLength(1);
    const back = await h.gql('bob', 'mutation ($t: CatalogTargetInput!) { restore(target: $t) { key } }', {
      t: target,
    });
    expect(back.errors).toBeUndefined();
  });
});

describe('classification suggestions', () => {
  const SUGGESTIONS = /* GraphQL */ `
    query ($urn: ID!) {
      dataset(urn: $urn) {
        classificationSuggestions {
          column {
            name
          }
          kind
          value
          basis
          reason
        }
        columns {
          name
          tags
        }
      }
    }
  `;
  const ACCEPT = /* GraphQL */ `
    mutation ($input: SuggestionDecisionInput!) {
      acceptClassificationSuggestion(input: $input) {
        columns {
          name
          tags
        }
      }
    }
  `;
  const REJECT = ACCEPT.replace('acceptClassificationSuggestion', 'rejectClassificationSuggestion');
  const urn = () => h.urn('retail', 'signups');
  const open = async (user: User) => {
    const res = await h.gql<{
      dataset: {
        classificationSuggestions: {
          column: { name: string };
          kind: string;
          value: string;
          basis: string;
          reason: string;
        }[];
        columns: { name: string; tags: string[] }[];
      };
    }>(user, SUGGESTIONS, { urn: urn() });
    expect(res.errors).toBeUndefined();
    return {
      list: res.data!.dataset.classificationSuggestions.map((s) => `${s.column.name} ${s.kind}:${s.value}:${s.basis}`),
      reasons: res.data!.dataset.classificationSuggestions.map((s) => s.reason),
      tags: Object.fromEntries(res.data!.dataset.columns.map((c) => [c.name, c.tags])),
    };
  };

  it('are shown to stewards only, by name and by profiled values, for columns without tags', async () => {
    const run = await h.gql('bob', 'mutation ($input: RecordRunInput!) { recordRun(input: $input) { id } }', {
      input: {
        datasetUrn: urn(),
        status: 'SUCCEEDED',
        startedAt: '2026-12-01T00:00:00Z',
        finishedAt: '2026-12-01T00:05:00Z',
        columnProfiles: [{ name: 'contact', min: 'ann@example.com', max: 'zoe@example.org' }],
      },
    });
    expect(run.errors).toBeUndefined();
    expect((await open('alice')).list).toEqual([]);
    const bob = await open('bob');
    expect(bob.list).toEqual([
      'email TAG:PII.Email:NAME',
      'email CONCEPT:Email address:NAME',
      'contact TAG:PII.Email:VALUES',
      'contact CONCEPT:Email address:VALUES',
      'customer_id CONCEPT:Customer identifier:NAME',
    ]);
    expect(bob.reasons.join(' ')).not.toContain('example');
  });

  it('accepting a tag tags the column; accepting a concept or rejecting records it; neither comes back', async () => {
    const accept = await h.gql('bob', ACCEPT, {
      input: { urn: urn(), column: 'email', kind: 'TAG', value: 'PII.Email' },
    });
    expect(accept.errors).toBeUndefined();
    const concept = await h.gql('bob', ACCEPT, {
      input: { urn: urn(), column: 'contact', kind: 'CONCEPT', value: 'Email address' },
    });
    expect(concept.errors).toBeUndefined();
    const reject = await h.gql('bob', REJECT, {
      input: {
        urn: urn(),
        column: 'customer_id',
        kind: 'CONCEPT',
        value: 'Customer identifier',
        reason: 'a surrogate key',
      },
    });
    expect(reject.errors).toBeUndefined();
    const after = await open('bob');
    expect(after.tags).toMatchObject({ email: ['PII.Email'], contact: [], customer_id: [] });
    expect(after.list).toEqual(['contact TAG:PII.Email:VALUES']);
    const stored = await h.neo4j.driver.executeQuery(
      `MATCH (s:SuggestionDecision {datasetUrn: $urn}) RETURN s.column AS c, s.decision AS d, s.by AS by, s.reason AS r ORDER BY c`,
      { urn: urn() },
      { database: h.neo4j.database },
    );
    expect(stored.records.map((r) => [r.get('c'), r.get('d'), r.get('by'), r.get('r')])).toEqual([
      ['contact', 'ACCEPTED', 'users:id:bob', null],
      ['customer_id', 'REJECTED', 'users:id:bob', 'a surrogate key'],
      ['email', 'ACCEPTED', 'users:id:bob', null],
    ]);
    // The accepted tag is a schema version, as any tag.
    const versions = await h.gql<{
      dataset: {
        versions: { edges: { node: { changes: { columnsChanged: { name: string; tagsAdded: string[] }[] } } }[] };
      };
    }>(
      'bob',
      'query ($urn: ID!) { dataset(urn: $urn) { versions(first: 1) { edges { node { changes { columnsChanged { name tagsAdded } } } } } } }',
      { urn: urn() },
    );
    expect(versions.data!.dataset.versions.edges[0]!.node.changes.columnsChanged).toEqual([
      { name: 'email', tagsAdded: ['PII.Email'] },
    ]);
  });

  it('refuses readers, unknown columns and what is not an open suggestion', async () => {
    const input = { urn: urn(), column: 'contact', kind: 'TAG', value: 'PII.Email' };
    expect(errorCodes(await h.gql('alice', ACCEPT, { input }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await h.gql('alice', REJECT, { input: { ...input, value: 'made.up' } }))).toEqual(['FORBIDDEN']);
    const unknown = await h.gql('bob', ACCEPT, { input: { ...input, column: 'nope' } });
    expect(errorCodes(unknown)).toEqual(['NOT_FOUND']);
    expect(unknown.errors![0]!.extensions!.field).toBe('input.column');
    for (const bad of [
      { ...input, value: 'PII.Name' },
      { ...input, column: 'phone', value: 'PII.PhoneNumber' },
      { ...input, column: 'customer_id', kind: 'CONCEPT', value: 'Customer identifier' },
    ]) {
      const res = await h.gql('bob', ACCEPT, { input: bad });
      expect(errorCodes(res), JSON.stringify(bad)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0]!.extensions!.field).toBe('input.value');
    }
    const long = await h.gql('bob', REJECT, { input: { ...input, reason: 'x'.repeat(1001) } });
    expect(errorCodes(long)).toEqual(['BAD_USER_INPUT']);
    expect((await open('bob')).list).toEqual(['contact TAG:PII.Email:VALUES']);
  });

  it('a hard delete of the dataset takes its decisions and declassification records with it', async () => {
    const mine = async () =>
      (
        await h.neo4j.driver.executeQuery(
          `MATCH (x:SuggestionDecision|DeclassificationEvent) WHERE x.datasetUrn IN $urns RETURN count(x) AS n`,
          { urns: [urn(), h.urn('retail', 'c360')] },
          { database: h.neo4j.database },
        )
      ).records[0]!.get('n') as number;
    expect(await mine()).toBe(5);
    for (const name of ['signups', 'c360']) {
      const res = await h.gql('carol', 'mutation ($t: CatalogTargetInput!) { hardDelete(target: $t) { purged } }', {
        t: { dataset: h.urn('retail', name) },
      });
      expect(res.errors).toBeUndefined();
    }
    expect(await mine()).toBe(0);
  });
});
