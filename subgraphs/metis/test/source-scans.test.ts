import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HeimdallClient } from '@dataos/heimdall-client';
import { neo4jFromEnv } from '@dataos/stores';
import {
  errorCodes,
  graphql,
  serveTestSubgraph,
  startTestHeimdall,
  tokenFor,
  uniqueId,
  type GraphQLResponse,
  dropOwnNodes,
} from '@dataos/testkit';
import { createMetisSubgraph } from '../src/index.js';
import { metisSettingsFromEnv } from '../src/settings.js';
import { parseScanTargets } from '../src/scan/config.js';
import { ScanStore } from '../src/scan/store.js';

// Answers are checked by `expect`, field by field, not by types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Answer = Record<string, any>;

// `Source.scanSchedule` and `Source.scanRuns`, against the devstack's PostgreSQL (the demo crmdb,
// read-only, under depots of this run) and the shared Neo4j.
const CRMDB_URL = process.env.CRMDB_URL ?? 'postgres://crm_reader@127.0.0.1:4470/crmdb';
const CRMDB_PASSWORD = process.env.CRMDB_PASSWORD ?? 'crm-reader-dev';
const crmUrl = new URL(CRMDB_URL);

const id = uniqueId('srcscan');
const crm = `${id}crm`;
const sched = `${id}sched`;
const plain = `${id}plain`;
const answers: string[] = [];
let served: { url: string; stop(): Promise<void> };
const neo4j = neo4jFromEnv('METIS');

async function gql<T = Answer>(user: string, query: string, variables: Record<string, unknown> = {}) {
  const res: GraphQLResponse<T> = await graphql(served.url, query, { token: await tokenFor(user as 'bob'), variables });
  answers.push(JSON.stringify(res));
  return res;
}

const RUN = `id depot trigger requestedBy status startedAt finishedAt found created updated deprecated restored errors`;
const SOURCES = `query S($crm: ID!, $sched: ID!, $plain: ID!, $first: Int) {
  crm: source(name: $crm) { name scanSchedule { type everySeconds } scanRuns(first: $first) { ${RUN} } last: scanRuns(first: 1) { id } }
  sched: source(name: $sched) { name scanSchedule { type everySeconds } scanRuns { ${RUN} } }
  plain: source(name: $plain) { name scanSchedule { type everySeconds } scanRuns { id } }
}`;
const ROOT_RUNS = `query R($depot: ID!, $first: Int) { scanRuns(depot: $depot, first: $first) { ${RUN} } }`;

beforeAll(async () => {
  // One depot on demand with the password from a variable, one scheduled with it in the URL (taken out at start).
  const withPassword = new URL(CRMDB_URL);
  withPassword.password = CRMDB_PASSWORD;
  const scans = parseScanTargets(
    JSON.stringify([
      { depot: crm, type: 'postgres', url: CRMDB_URL, passwordEnv: 'SRC_TEST_CRMDB_PASSWORD' },
      { depot: sched, type: 'postgres', url: withPassword.href, everySeconds: 3600 },
    ]),
    { SRC_TEST_CRMDB_PASSWORD: CRMDB_PASSWORD },
  );
  const heimdall = await startTestHeimdall({
    policies: [
      {
        name: `${id}-bob`,
        subjects: [['roles:id:operator']],
        actions: ['read', 'write'],
        objects: { paths: [`dataos://${id}*`, `dataos://${id}*:*/**`, '/metis/**'], tags: [] },
      },
      {
        // alice uses the catalog API but may not read these depots.
        name: `${id}-alice`,
        subjects: [['roles:id:data-dev']],
        actions: ['read'],
        objects: { paths: ['/metis/**'], tags: [] },
      },
    ],
  });
  const metis = await createMetisSubgraph({
    neo4j,
    heimdall: new HeimdallClient({ url: heimdall.url }),
    settings: { ...metisSettingsFromEnv(), scans },
  });
  served = await serveTestSubgraph(metis, () => heimdall.stop());

  // Three runs of crm, on demand; the scheduled depot's first scan starts 3 s after start.
  for (let i = 0; i < 3; i++) {
    const res = await gql('bob', `mutation ($d: ID!) { scanDepot(depot: $d, wait: true) { status } }`, { d: crm });
    expect(res.data?.scanDepot.status).toBe('SUCCEEDED');
  }
  const ingested = await gql(
    'bob',
    `mutation ($n: ID!) { ingest(input: { source: { name: $n, type: "kafka" }, datasets: [] }) { source { name } } }`,
    { n: plain },
  );
  expect(ingested.errors).toBeUndefined();
  const deadline = Date.now() + 30_000;
  for (;;) {
    const runs = (await gql('bob', ROOT_RUNS, { depot: sched })).data?.scanRuns ?? [];
    if (runs.some((r: Answer) => r.status !== 'RUNNING')) break;
    if (Date.now() > deadline) throw new Error('the scheduled scan did not finish in 30 s');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}, 90_000);

afterAll(async () => {
  await served?.stop();
  await dropOwnNodes(neo4j, id, ['Dataset', 'Column', 'Source', 'DatasetVersion', 'ScanRun', 'ScanLock']);
  await neo4j.close();
});

describe('Source.scanSchedule and Source.scanRuns', () => {
  it('answers a reader of the depot its schedule and its runs, newest first, as the root field does', async () => {
    const res = await gql('bob', SOURCES, { crm, sched, plain, first: 2 });
    expect(res.errors).toBeUndefined();
    const { crm: c, sched: s, plain: p } = res.data!;
    expect(c.scanSchedule).toEqual({ type: 'postgres', everySeconds: 0 });
    expect(s.scanSchedule).toEqual({ type: 'postgres', everySeconds: 3600 });
    // A source Metis does not scan has no schedule and no runs.
    expect(p).toEqual({ name: plain, scanSchedule: null, scanRuns: [] });

    const root = (await gql('bob', ROOT_RUNS, { depot: crm, first: 2 })).data!.scanRuns;
    expect(c.scanRuns).toEqual(root);
    expect(c.scanRuns).toHaveLength(2);
    expect(Date.parse(c.scanRuns[0].startedAt)).toBeGreaterThanOrEqual(Date.parse(c.scanRuns[1].startedAt));
    expect(c.last).toEqual([{ id: c.scanRuns[0].id }]);
    expect(c.scanRuns[0]).toMatchObject({ depot: crm, trigger: 'ON_DEMAND', requestedBy: 'users:id:bob' });
    expect(c.scanRuns[0].found).toBe(8);
    // The default is 5: both depots' runs come from one request (one query per distinct `first`).
    expect(s.scanRuns.length).toBeGreaterThanOrEqual(1);
    expect(s.scanRuns[0]).toMatchObject({ depot: sched, trigger: 'SCHEDULE', requestedBy: null, found: 8 });
    const all = (await gql('bob', SOURCES, { crm, sched, plain })).data!;
    expect(all.crm.scanRuns.map((r: Answer) => r.id)).toEqual(
      (await gql('bob', ROOT_RUNS, { depot: crm, first: 5 })).data!.scanRuns.map((r: Answer) => r.id),
    );
    expect(all.crm.scanRuns).toHaveLength(3);
  });

  it('reads the runs of every source of a request in one query (a list page is no N+1)', async () => {
    // A spy that calls through: the real store answers, the test counts its calls.
    const spy = vi.spyOn(ScanStore.prototype, 'runsOf');
    try {
      const res = await gql(
        'bob',
        `query ($a: ID!, $b: ID!, $c: ID!) {
          a: source(name: $a) { scanRuns(first: 1) { id depot } }
          b: source(name: $b) { scanRuns(first: 1) { id depot } }
          c: source(name: $c) { scanRuns(first: 1) { id depot } }
        }`,
        { a: crm, b: sched, c: plain },
      );
      expect(res.errors).toBeUndefined();
      expect(res.data!.a.scanRuns).toEqual([{ id: expect.any(String), depot: crm }]);
      expect(res.data!.b.scanRuns).toEqual([{ id: expect.any(String), depot: sched }]);
      expect(res.data!.c.scanRuns).toEqual([]);
      expect(spy).toHaveBeenCalledTimes(1);
      expect([...spy.mock.calls[0]![0]].sort()).toEqual([crm, plain, sched].sort());
    } finally {
      spy.mockRestore();
    }
  });

  it('bounds first as the root field does', async () => {
    for (const first of [0, -1, 101]) {
      const res = await gql('bob', SOURCES, { crm, sched, plain, first });
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      expect(errorCodes(await gql('bob', ROOT_RUNS, { depot: crm, first }))).toEqual(['BAD_USER_INPUT']);
    }
    const hundred = await gql('bob', SOURCES, { crm, sched, plain, first: 100 });
    expect(hundred.errors).toBeUndefined();
    expect(hundred.data!.crm.scanRuns).toHaveLength(3);
  });

  it('answers a caller who may not read the depot no schedule and no runs, never an error', async () => {
    // The root field refuses alice...
    expect(errorCodes(await gql('alice', ROOT_RUNS, { depot: crm }))).toEqual(['FORBIDDEN']);
    // ... and the source's fields say nothing more, not even for an out-of-range `first`.
    for (const first of [2, 101]) {
      const res = await gql('alice', SOURCES, { crm, sched, plain, first });
      expect(res.errors).toBeUndefined();
      expect(res.data!.crm).toEqual({ name: crm, scanSchedule: null, scanRuns: [], last: [] });
      expect(res.data!.sched).toEqual({ name: sched, scanSchedule: null, scanRuns: [] });
    }
  });

  it('never answers the URL, the user, the host or the password', () => {
    expect(answers.length).toBeGreaterThan(10);
    const text = answers.join('\n');
    expect(text).not.toContain(CRMDB_PASSWORD);
    expect(text).not.toContain(encodeURIComponent(CRMDB_PASSWORD));
    expect(text).not.toContain(crmUrl.host);
    expect(text).not.toContain(crmUrl.username);
    expect(text).not.toContain('postgres://');
  });
});
