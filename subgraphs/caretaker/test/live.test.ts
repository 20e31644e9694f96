import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchDevToken } from '@dataos/devstack';
import { HeimdallClient } from '@dataos/heimdall-client';
import { kitSettingsFromEnv } from '@dataos/subgraph-kit';
import {
  CARETAKER_OPERATORS_POLICY,
  INGEST_CLUSTER_EVENTS,
  graphql,
  podEventInput,
  nodeEventInput,
  serveTestSubgraph,
  startTestHeimdall,
  tokenFor,
  uniqueId,
  wsClient,
  type TestHeimdall,
  type TestPodEvent,
  type TestWsClient,
} from '@dataos/testkit';
import { LocalFolderArchiveStore } from '../src/archive/store.js';
import { createCaretakerSubgraph, type CaretakerSubgraph } from '../src/server.js';
import { ingestEvents } from '../src/store/ingest.js';
import { eventsFromInput } from '../src/validate.js';
import { tempDir, testDb } from './db.js';

// Two Caretaker replicas on one database; the second keeps at most 5 events per subscriber.
let heimdall: TestHeimdall;
let a: { url: string; caretaker: CaretakerSubgraph; stop(): Promise<void> };
let b: { url: string; caretaker: CaretakerSubgraph; stop(): Promise<void> };
let drop: () => Promise<void>;
let bob: string;
let alice: string;
const clients: TestWsClient[] = [];

const EVENTS = `subscription ($filter: PodEventFilter, $after: String) {
  podEvents(filter: $filter, after: $after) {
    cursor id type namespace name phase nodeName resourceVersion applied resource { urn } pod { name phase restarts }
  }
}`;
type Notice = {
  cursor: string;
  id: string;
  type: string;
  name: string;
  phase: string;
  applied: boolean;
  resource: { urn: string } | null;
};

async function replica(mongo: Awaited<ReturnType<typeof testDb>>['mongo'], bufferEvents?: number) {
  const tmp = await tempDir();
  const kit = kitSettingsFromEnv();
  const caretaker = await createCaretakerSubgraph({
    mongo,
    heimdall: new HeimdallClient({ url: heimdall.url }),
    archive: new LocalFolderArchiveStore(tmp.dir),
    kit: bufferEvents ? { ...kit, subscriptions: { ...kit.subscriptions, bufferEvents } } : kit,
    livePollMs: 50,
  });
  const served = await serveTestSubgraph(caretaker, () => tmp.remove());
  return { url: served.url, caretaker, stop: () => served.stop() };
}

beforeAll(async () => {
  heimdall = await startTestHeimdall({ policies: [CARETAKER_OPERATORS_POLICY] });
  const db = await testDb();
  drop = db.drop;
  a = await replica(db.mongo);
  b = await replica(db.mongo, 5);
  [bob, alice] = await Promise.all([tokenFor('bob'), tokenFor('alice')]);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await a?.stop();
  await b?.stop();
  await drop?.();
  await heimdall?.stop();
});

const client = (url: string, token?: string) => {
  const c = wsClient(url, token ? { token } : {});
  clients.push(c);
  return c;
};

/** Resolves once `n` subscribers are registered with the replica's feed (the subscribe went through). */
async function subscribers(caretaker: CaretakerSubgraph, n: number) {
  for (let i = 0; i < 200 && caretaker.live.opened < n; i++) await new Promise((r) => setTimeout(r, 25));
  expect(caretaker.live.opened).toBeGreaterThanOrEqual(n);
}

async function ingest(url: string, pods: TestPodEvent[]) {
  const res = await graphql(url, INGEST_CLUSTER_EVENTS, {
    token: bob,
    variables: { input: { pods: pods.map(podEventInput) } },
  });
  expect(res.errors).toBeUndefined();
}

const at = new Date();
const pod = (
  namespace: string,
  name: string,
  rv: number,
  phase: TestPodEvent['phase'],
  node = 'node-1',
): TestPodEvent => ({
  namespace,
  name,
  rv,
  at,
  phase,
  node,
  urn: `dataos://workflow:${namespace}/orders-ingest`,
});

describe('Caretaker subscriptions over graphql-ws', () => {
  it('bob receives pod events in order, with the resource, and resumes after a cursor', async () => {
    const ns = uniqueId('live-');
    const c = client(a.url, bob);
    const before = a.caretaker.live.opened;
    const sub = c.subscribe<{ podEvents: Notice }>(EVENTS, { filter: { namespace: ns } });
    await subscribers(a.caretaker, before + 1);
    await ingest(a.url, [pod(ns, 'p1', 1, 'PENDING'), pod(ns, 'p1', 2, 'RUNNING')]);
    await ingest(a.url, [pod(ns, 'p1', 3, 'FAILED'), pod('elsewhere', 'p9', 1, 'RUNNING')]);
    const got = (await sub.take(3)).map((r) => r.data!.podEvents);
    expect(got.map((n) => [n.id, n.phase, n.applied])).toEqual([
      // Superseded in its own batch by rv 2: recorded, never the current state.
      [`Pod/${ns}/p1@1`, 'PENDING', false],
      [`Pod/${ns}/p1@2`, 'RUNNING', true],
      [`Pod/${ns}/p1@3`, 'FAILED', true],
    ]);
    expect(got[0]!.resource).toEqual({ urn: `dataos://workflow:${ns}/orders-ingest` });
    expect(new Set(got.map((n) => n.cursor)).size).toBe(3);

    // Resume after the first: the two that followed, nothing else.
    const resumed = client(a.url, bob).subscribe<{ podEvents: Notice }>(EVENTS, {
      filter: { namespace: ns },
      after: got[0]!.cursor,
    });
    expect((await resumed.take(2)).map((r) => r.data!.podEvents.id)).toEqual([`Pod/${ns}/p1@2`, `Pod/${ns}/p1@3`]);
    await new Promise((r) => setTimeout(r, 300));
    expect(resumed.results).toHaveLength(2);
  });

  it('filters by phase and type, and refuses a bad filter or cursor with BAD_USER_INPUT', async () => {
    const ns = uniqueId('live-');
    const c = client(a.url, bob);
    const before = a.caretaker.live.opened;
    const failed = c.subscribe<{ podEvents: Notice }>(EVENTS, { filter: { namespace: ns, phases: ['FAILED'] } });
    const deleted = c.subscribe<{ podEvents: Notice }>(EVENTS, { filter: { namespace: ns, types: ['DELETED'] } });
    await subscribers(a.caretaker, before + 2);
    await ingest(a.url, [
      pod(ns, 'q1', 1, 'RUNNING'),
      pod(ns, 'q2', 1, 'FAILED'),
      { ...pod(ns, 'q1', 2, 'SUCCEEDED'), type: 'DELETED' },
    ]);
    expect((await failed.take(1))[0]!.data!.podEvents.name).toBe('q2');
    expect((await deleted.take(1))[0]!.data!.podEvents).toMatchObject({ name: 'q1', type: 'DELETED' });

    const bad = c.subscribe(EVENTS, { filter: { namespace: 'Not A Namespace' } });
    const badCursor = c.subscribe(EVENTS, { after: 'garbage' });
    const [one] = await bad.take(1);
    const [two] = await badCursor.take(1);
    expect(one!.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(two!.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(await bad.ended).toEqual({ completed: true });
  });

  it('podChanges gives new current states only; nodeChanges the nodes', async () => {
    const ns = uniqueId('live-');
    const c = client(a.url, bob);
    const before = a.caretaker.live.opened;
    const changes = c.subscribe<{ podChanges: { type: string; pod: { name: string; resourceVersion: string } } }>(
      'subscription ($f: PodFilter) { podChanges(filter: $f) { cursor type pod { name resourceVersion phase } } }',
      { f: { namespace: ns } },
    );
    const nodes = c.subscribe<{ nodeChanges: { node: { name: string; ready: boolean } } }>(
      'subscription { nodeChanges { cursor type node { name ready } } }',
    );
    await subscribers(a.caretaker, before + 2);
    await ingest(a.url, [pod(ns, 'r1', 5, 'RUNNING')]);
    await ingest(a.url, [pod(ns, 'r1', 4, 'PENDING')]); // older: history only, not a change
    await ingest(a.url, [pod(ns, 'r1', 6, 'SUCCEEDED')]);
    const got = (await changes.take(2)).map((r) => r.data!.podChanges.pod.resourceVersion);
    expect(got).toEqual(['5', '6']);
    const node = uniqueId('node-');
    const res = await graphql(a.url, INGEST_CLUSTER_EVENTS, {
      token: bob,
      variables: { input: { nodes: [nodeEventInput({ name: node, rv: 1, at, ready: false })] } },
    });
    expect(res.errors).toBeUndefined();
    const seen = await nodes.take(1, 5000).catch(() => nodes.results);
    expect(seen.map((r) => r.data!.nodeChanges.node)).toContainEqual({ name: node, ready: false });
  });

  it('alice (not an operator) is refused at subscribe; no token closes 4401', async () => {
    const sub = client(a.url, alice).subscribe(EVENTS);
    const [result] = await sub.take(1);
    expect(result!.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(result!.data ?? null).toBeNull();
    expect(await sub.ended).toEqual({ completed: true });

    const anonymous = client(a.url);
    anonymous.subscribe(EVENTS);
    expect(await anonymous.closed).toEqual({ code: 4401, reason: 'Unauthorized' });
    const forged = client(a.url, `${bob.slice(0, -4)}AAAA`);
    forged.subscribe(EVENTS);
    expect((await forged.closed).code).toBe(4401);
  });

  it('refuses queries over WebSocket and operations over the limits', async () => {
    // Refused before anything runs: graphql-ws `error` messages, not results.
    const codeOf = async (sub: { ended: Promise<unknown> }) =>
      ((await sub.ended) as { error: { extensions: { code: string } }[] }).error[0]!.extensions.code;
    const c = client(a.url, bob);
    expect(await codeOf(c.subscribe('{ nodes { name } }'))).toBe('OPERATION_NOT_SUPPORTED');
    expect(await codeOf(c.subscribe('subscription { podEvents { nope } }'))).toBe('GRAPHQL_VALIDATION_FAILED');
    const nest = 'resource { pods { edges { node { '.repeat(5);
    const deep = `subscription { podEvents { pod { ${nest} name ${'} } } } '.repeat(5)} } } }`;
    expect(await codeOf(c.subscribe(deep))).toBe('MAX_DEPTH_EXCEEDED');
  });

  it('a token that expires mid-stream ends the subscription with UNAUTHENTICATED and closes 4401', async () => {
    const short = (await fetchDevToken('bob', { ttlSec: 3 })).access_token;
    const c = client(a.url, short);
    const sub = c.subscribe(EVENTS);
    const ended = await sub.ended;
    expect(ended).toHaveProperty('error');
    const error = (ended as { error: unknown }).error;
    expect(error).toEqual([{ message: 'The token expired.', extensions: { code: 'UNAUTHENTICATED' } }]);
    expect(await c.closed).toEqual({ code: 4401, reason: 'The token expired.' });
  }, 15_000);

  it('a batch retried after a crash before its notices were written is published on the retry', async () => {
    const ns = uniqueId('live-');
    const before = a.caretaker.live.opened;
    const sub = client(a.url, bob).subscribe<{ podEvents: Notice }>(EVENTS, { filter: { namespace: ns } });
    await subscribers(a.caretaker, before + 1);
    const batch = [pod(ns, 'u1', 1, 'RUNNING'), pod(ns, 'u2', 1, 'PENDING')];
    // The first attempt writes history and state, then "crashes": no notice.
    const input = { pods: batch.map(podEventInput) };
    await ingestEvents(a.caretaker.collections, eventsFromInput(input as never));
    await new Promise((r) => setTimeout(r, 300));
    expect(sub.results).toEqual([]);
    // The retry of the same batch: duplicates for the history, published again for subscribers.
    await ingest(a.url, batch);
    expect((await sub.take(2)).map((r) => r.data!.podEvents.name)).toEqual(['u1', 'u2']);
    // A later, different batch repeating one of them is a plain duplicate: not published.
    await ingest(a.url, [batch[0]!, pod(ns, 'u3', 1, 'RUNNING')]);
    expect((await sub.take(3)).map((r) => r.data!.podEvents.name)).toEqual(['u1', 'u2', 'u3']);
    await new Promise((r) => setTimeout(r, 300));
    expect(sub.results).toHaveLength(3);
  });

  it('an event ingested on one replica reaches a subscriber of the other', async () => {
    const ns = uniqueId('live-');
    const before = b.caretaker.live.opened;
    const sub = client(b.url, bob).subscribe<{ podEvents: Notice }>(EVENTS, { filter: { namespace: ns } });
    await subscribers(b.caretaker, before + 1);
    await ingest(a.url, [pod(ns, 's1', 1, 'RUNNING'), pod(ns, 's2', 1, 'RUNNING')]);
    expect((await sub.take(2)).map((r) => r.data!.podEvents.name)).toEqual(['s1', 's2']);
  });

  it('a subscriber that falls more than its buffer behind is closed with 4429', async () => {
    const ns = uniqueId('live-');
    const c = client(b.url, bob);
    const before = b.caretaker.live.opened;
    const open = b.caretaker.live.subscriberCount;
    const sub = c.subscribe(EVENTS, { filter: { namespace: ns } });
    await subscribers(b.caretaker, before + 1);
    await ingest(
      a.url,
      Array.from({ length: 20 }, (_, i) => pod(ns, `t${i}`, 1, 'RUNNING')),
    );
    const ended = await sub.ended;
    expect((ended as { error: { extensions: { code: string } }[] }).error[0]!.extensions.code).toBe('SLOW_CONSUMER');
    expect((await c.closed).code).toBe(4429);
    // Its slot and its queue are gone.
    await new Promise((r) => setTimeout(r, 100));
    expect(b.caretaker.live.subscriberCount).toBeLessThanOrEqual(open);
  });

  it('a pod found gone by a relist is published as DELETED', async () => {
    const ns = uniqueId('live-');
    await ingest(a.url, [pod(ns, 'v1', 7, 'RUNNING')]);
    const before = b.caretaker.live.opened;
    const sub = client(b.url, bob).subscribe<{ podEvents: Notice & { reason: string } }>(
      'subscription ($f: PodEventFilter) { podEvents(filter: $f) { name type reason applied } }',
      { f: { namespace: ns, types: ['DELETED'] } },
    );
    await subscribers(b.caretaker, before + 1);
    // Every other live pod is still listed; ours is not.
    const alive = await a.caretaker.collections.pods.find({ deleted: false }, { projection: { _id: 1 } }).toArray();
    const present = new Set(alive.map((p) => p._id).filter((id) => id !== `${ns}/v1`));
    expect(await a.caretaker.relisted('Pod', present, 100)).toBe(1);
    const [notice] = await sub.take(1);
    expect(notice!.data!.podEvents).toEqual({ name: 'v1', type: 'DELETED', reason: 'NotFoundOnRelist', applied: true });
  });
});
