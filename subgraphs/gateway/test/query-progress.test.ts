import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeimdallClient } from '@dataos/heimdall-client';
import {
  gatewayAccessPolicies,
  graphql,
  serveTestSubgraph,
  startTestHeimdall,
  testMongo,
  tokenFor,
  wsClient,
  type TestHeimdall,
  type TestWsClient,
} from '@dataos/testkit';
import { StaticColumnCatalog } from '../src/catalog.js';
import { createGatewaySubgraph, seedGateway } from '../src/index.js';

/**
 * queryProgress over graphql-ws against a real Gateway (the embedded DuckDB over the demo files, a
 * static catalog) and a real Heimdall: alice (data-dev) runs, carol (admin) reads everyone's history,
 * dave (no role) may not see alice's query.
 */
let heimdall: TestHeimdall;
let gateway: Awaited<ReturnType<typeof createGatewaySubgraph>>;
let served: { url: string; stop(): Promise<void> };
const clients: TestWsClient[] = [];

const PROGRESS = `subscription ($id: ID!) {
  queryProgress(id: $id) { queryId phase final progress rows elapsedMs error { code } }
}`;
type Progress = { queryId: string; phase: string; final: boolean; progress: number | null; rows: number };
const RUN = `query ($sql: String!, $id: ID) { runQuery(sql: $sql, queryId: $id) { queryId rowCount } }`;
const SQL = 'SELECT region, count(*) AS n FROM icebase.retail.customers GROUP BY region';

beforeAll(async () => {
  heimdall = await startTestHeimdall({ policies: gatewayAccessPolicies({ retail: 'icebase' }) });
  const mongo = await testMongo('GATEWAY');
  await seedGateway(mongo);
  gateway = await createGatewaySubgraph({
    mongo,
    heimdall: new HeimdallClient({ url: heimdall.url }),
    catalog: StaticColumnCatalog.fromDemo(),
    concepts: false,
    healthIntervalMs: 0,
  });
  served = await serveTestSubgraph(gateway, () => mongo.drop());
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await served?.stop();
  await heimdall?.stop();
});

async function client(user: string) {
  const c = wsClient(served.url, { token: await tokenFor(user) });
  clients.push(c);
  return c;
}

async function subscribed(n: number) {
  const feed = gateway.services.progress.feed;
  for (let i = 0; i < 200 && feed.opened < n; i++) await new Promise((r) => setTimeout(r, 25));
  expect(feed.opened).toBeGreaterThanOrEqual(n);
}

describe('Gateway queryProgress', () => {
  it('the owner follows a run to its final state; another user sees nothing of it; an admin sees the end', async () => {
    const id = randomUUID();
    const before = gateway.services.progress.feed.opened;
    const mine = (await client('alice')).subscribe<{ queryProgress: Progress }>(PROGRESS, { id });
    const theirs = (await client('dave')).subscribe<{ queryProgress: Progress }>(PROGRESS, { id });
    await subscribed(before + 2);

    const res = await graphql<{ runQuery: { queryId: string; rowCount: number } }>(served.url, RUN, {
      token: await tokenFor('alice'),
      variables: { sql: SQL, id },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.runQuery.queryId).toBe(id);

    expect(await mine.ended).toEqual({ completed: true });
    const phases = mine.results.map((r) => r.data!.queryProgress);
    expect(phases.map((p) => p.phase)).toEqual(['PLANNING', 'RUNNING', 'SUCCEEDED']);
    expect(phases.at(-1)).toMatchObject({ queryId: id, final: true, progress: 1, rows: res.data!.runQuery.rowCount });
    expect(phases.slice(0, -1).every((p) => !p.final)).toBe(true);
    // dave's subscription got nothing, and is still open.
    await new Promise((r) => setTimeout(r, 200));
    expect(theirs.results).toEqual([]);

    // Once finished: its final state at once, for the owner or a history reader; refused to dave.
    const [carol] = await (await client('carol')).subscribe<{ queryProgress: Progress }>(PROGRESS, { id }).take(1);
    expect(carol!.data!.queryProgress).toMatchObject({ phase: 'SUCCEEDED', final: true });
    const [late] = await (await client('dave')).subscribe(PROGRESS, { id }).take(1);
    expect(late!.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('a refused run ends in REFUSED; an id is used once and must be a UUID', async () => {
    const id = randomUUID();
    const before = gateway.services.progress.feed.opened;
    const sub = (await client('dave')).subscribe<{ queryProgress: Progress & { error: { code: string } } }>(PROGRESS, {
      id,
    });
    await subscribed(before + 1);
    const refused = await graphql(served.url, RUN, { token: await tokenFor('dave'), variables: { sql: SQL, id } });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await sub.ended).toEqual({ completed: true });
    expect(sub.results.at(-1)!.data!.queryProgress).toMatchObject({
      phase: 'REFUSED',
      final: true,
      error: { code: 'FORBIDDEN' },
    });

    const again = await graphql(served.url, RUN, { token: await tokenFor('dave'), variables: { sql: SQL, id } });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'queryId' });
    const [bad] = await (await client('alice')).subscribe(PROGRESS, { id: 'not-a-uuid' }).take(1);
    expect(bad!.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  });

  it('queryChanges: every run starts and ends for its owner and history readers, by cluster, resumable; not to others', async () => {
    const CHANGES = `subscription ($cluster: ID, $after: String) {
      queryChanges(cluster: $cluster, after: $after) { cursor queryId cluster user source phase final rows error { code } }
    }`;
    type Change = {
      cursor: string;
      queryId: string;
      cluster: string;
      user: string;
      phase: string;
      final: boolean;
      rows: number;
    };
    const before = gateway.services.progress.feed.opened;
    const alice = (await client('alice')).subscribe<{ queryChanges: Change }>(CHANGES, {});
    const carol = (await client('carol')).subscribe<{ queryChanges: Change }>(CHANGES, { cluster: 'minerva-default' });
    const elsewhere = (await client('carol')).subscribe<{ queryChanges: Change }>(CHANGES, {
      cluster: 'no-such-cluster',
    });
    const dave = (await client('dave')).subscribe<{ queryChanges: Change }>(CHANGES, {});
    await subscribed(before + 4);

    // No queryId: a run nobody follows by id is still announced.
    const run = await graphql<{ runQuery: { queryId: string; rowCount: number } }>(served.url, RUN, {
      token: await tokenFor('alice'),
      variables: { sql: SQL },
    });
    expect(run.errors).toBeUndefined();
    const { queryId, rowCount } = run.data!.runQuery;
    const refused = await graphql(served.url, RUN, { token: await tokenFor('dave'), variables: { sql: SQL } });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const seen = async (sub: typeof alice, n: number) => {
      for (let i = 0; i < 200 && sub.results.length < n; i++) await new Promise((r) => setTimeout(r, 25));
      return sub.results.map((r) => r.data!.queryChanges);
    };
    const [started, ended] = await seen(alice, 2);
    expect(started).toMatchObject({
      queryId,
      cluster: 'minerva-default',
      user: 'users:id:alice',
      phase: 'PLANNING',
      final: false,
    });
    expect(ended).toMatchObject({ queryId, phase: 'SUCCEEDED', final: true, rows: rowCount, source: 'QUERY' });
    const all = await seen(carol, 4);
    expect(all.map((c) => [c.user, c.phase])).toEqual([
      ['users:id:alice', 'PLANNING'],
      ['users:id:alice', 'SUCCEEDED'],
      ['users:id:dave', 'PLANNING'],
      ['users:id:dave', 'REFUSED'],
    ]);
    const daves = await seen(dave, 2);
    expect(daves.map((c) => c.phase)).toEqual(['PLANNING', 'REFUSED']);
    await new Promise((r) => setTimeout(r, 300));
    expect(alice.results).toHaveLength(2); // never dave's run
    expect(dave.results).toHaveLength(2); // never alice's run
    expect(elsewhere.results).toEqual([]);

    // Resuming after the first change gives the rest, in order, nothing twice.
    const resumed = (await client('carol')).subscribe<{ queryChanges: Change }>(CHANGES, {
      cluster: 'minerva-default',
      after: all[0]!.cursor,
    });
    expect((await seen(resumed, 3)).map((c) => c.cursor)).toEqual(all.slice(1).map((c) => c.cursor));
    const [bad] = await (await client('carol')).subscribe(CHANGES, { after: 'garbage' }).take(1);
    expect(bad!.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});
