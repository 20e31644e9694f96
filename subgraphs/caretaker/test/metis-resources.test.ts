import { HeimdallClient } from '@dataos/heimdall-client';
import { createMetisSubgraph } from '@dataos/metis';
import { neo4jFromEnv } from '@dataos/stores';
import {
  graphql,
  podEventInput,
  serveTestSubgraph,
  servicesToken,
  startTestHeimdall,
  tokenFor,
  uniqueId,
  type ServedSubgraph,
} from '@dataos/testkit';
import { seedPolicy } from '../../../packages/testkit/src/caretaker.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetisResourceSync } from '../src/metis/sync.js';
import { MetisResourceWriter } from '../src/metis/writer.js';
import { ingestEvents } from '../src/store/ingest.js';
import type { Collections } from '../src/store/collections.js';
import { eventsFromInput } from '../src/validate.js';
import { testDb } from './db.js';

/**
 * Real Metis (on the devstack's Neo4j) and real Heimdall in process, with the seed's policies;
 * Caretaker's store on FerretDB; Caretaker's service principal is the dev issuer's services client.
 */
const neo4j = neo4jFromEnv('METIS');
let metis: Pick<ServedSubgraph<never>, 'url' | 'stop'>;
let heimdallStop: () => Promise<void>;
const cleanups: (() => Promise<unknown>)[] = [];
const id = uniqueId('rs');

beforeAll(async () => {
  const heimdall = await startTestHeimdall({
    policies: [
      seedPolicy('caretaker-resource-sync'),
      seedPolicy('metis-api-users'),
      // A narrower writer, to see one batch partly refused.
      {
        name: 'dave-writes-workflows',
        subjects: [['users:id:dave']],
        actions: ['write'],
        objects: { paths: ['/metis/resources/workflow/**'] },
      },
    ],
  });
  heimdallStop = () => heimdall.stop();
  metis = await serveTestSubgraph(
    await createMetisSubgraph({ neo4j, heimdall: new HeimdallClient({ url: heimdall.url }) }),
  );
});
afterAll(async () => {
  for (const f of cleanups) await f();
  await metis?.stop();
  await heimdallStop?.();
  await neo4j.driver.executeQuery('MATCH (r:Resource) WHERE r.urn CONTAINS $id DETACH DELETE r', { id });
  await neo4j.close();
});

/** A Caretaker database of its own holding pods of the given resources (workspace unique to this run). */
async function caretakerWith(urns: (string | null)[]): Promise<Collections> {
  const db = await testDb();
  cleanups.push(db.drop);
  await addPods(db.c, urns);
  return db.c;
}

let rv = 1;
async function addPods(c: Collections, urns: (string | null)[]) {
  const at = new Date();
  const pods = urns.map((urn, i) =>
    podEventInput({ namespace: id, name: `pod-${rv}-${i}`, rv: rv++, at, phase: 'RUNNING', ...(urn ? { urn } : {}) }),
  );
  await ingestEvents(c, eventsFromInput({ pods: pods as never, nodes: [] }, at), at);
}

const writer = (options: Partial<ConstructorParameters<typeof MetisResourceWriter>[0]> = {}) =>
  new MetisResourceWriter({ url: metis.url, token: servicesToken, backoffMs: 10, ...options });

async function inMetis(urn: string) {
  const res = await graphql<{ resource: Record<string, unknown> | null }>(
    metis.url,
    'query ($urn: ID!) { resource(urn: $urn) { urn kind workspace name description } }',
    { token: await servicesToken(), variables: { urn } },
  );
  expect(res.errors).toBeUndefined();
  return res.data!.resource;
}

describe('Caretaker makes the resources of its pods Metis resources', () => {
  it('pushes each resource once (workflows, services, clusters), skips what Metis cannot hold, then only what is new', async () => {
    const ws = `${id}-a`;
    const c = await caretakerWith([
      `dataos://workflow:${ws}/orders-ingest`,
      `dataos://workflow:${ws}/orders-ingest`,
      `resource://service/${ws}/order-events-sink`,
      `dataos://cluster:${ws}/minerva-retail`,
      `dataos://lakehouse:${ws}/icebase`,
      null,
    ]);
    const sync = new MetisResourceSync(c, writer());
    const first = await sync.run();
    expect(first).toMatchObject({ known: 3, pushed: 3, unchanged: 0, failed: [] });
    expect(first.skipped).toEqual([
      { urn: `dataos://lakehouse:${ws}/icebase`, reason: 'Metis has no resource kind "lakehouse"' },
    ]);
    expect(await inMetis(`dataos://workflow:${ws}/orders-ingest`)).toEqual({
      urn: `dataos://workflow:${ws}/orders-ingest`,
      kind: 'WORKFLOW',
      workspace: ws,
      name: 'orders-ingest',
      description: null,
    });
    expect(await inMetis(`dataos://service:${ws}/order-events-sink`)).toMatchObject({ kind: 'SERVICE' });
    expect(await inMetis(`dataos://cluster:${ws}/minerva-retail`)).toMatchObject({ kind: 'CLUSTER' });
    const lakehouse = await graphql(metis.url, 'query ($urn: ID!) { resource(urn: $urn) { urn } }', {
      token: await servicesToken(),
      variables: { urn: `dataos://lakehouse:${ws}/icebase` },
    });
    expect(lakehouse.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    // Nothing new: nothing sent. A new workflow: only it.
    expect(await sync.run()).toMatchObject({ known: 3, pushed: 0, unchanged: 3 });
    await addPods(c, [`dataos://workflow:${ws}/returns-ingest`]);
    expect(await sync.run()).toMatchObject({ known: 4, pushed: 1, unchanged: 3 });
    expect(await inMetis(`dataos://workflow:${ws}/returns-ingest`)).toMatchObject({ name: 'returns-ingest' });
  });

  it('leaves what people set in Metis alone (descriptions), and resyncs when due', async () => {
    const ws = `${id}-b`;
    const urn = `dataos://workflow:${ws}/billing`;
    const described = await graphql(
      metis.url,
      'mutation { upsertResource(input: { kind: WORKFLOW, workspace: "' +
        ws +
        '", name: "billing", description: "Bills every night" }) { urn } }',
      { token: await servicesToken() },
    );
    expect(described.errors).toBeUndefined();
    const c = await caretakerWith([urn]);
    let now = new Date();
    const sync = new MetisResourceSync(c, writer(), { resyncMs: 60_000, now: () => now });
    expect(await sync.run()).toMatchObject({ pushed: 1 });
    expect(await inMetis(urn)).toMatchObject({ description: 'Bills every night' });
    expect(await sync.run()).toMatchObject({ pushed: 0 });
    now = new Date(now.getTime() + 61_000);
    expect(await sync.run()).toMatchObject({ pushed: 1 });
  });

  it('a caller Heimdall does not allow is refused per resource; nothing is recorded, and the next run pushes', async () => {
    const ws = `${id}-c`;
    const c = await caretakerWith([`dataos://workflow:${ws}/w1`, `dataos://service:${ws}/s1`]);
    const alice = await tokenFor('alice');
    const refused = await new MetisResourceSync(c, writer({ token: async () => alice })).run();
    expect(refused.pushed).toBe(0);
    expect(refused.failed.map((f) => f.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expect(await inMetis(`dataos://workflow:${ws}/w1`)).toBeNull();
    expect(await c.db.collection('metis_resources').countDocuments()).toBe(0);
    expect(await new MetisResourceSync(c, writer()).run()).toMatchObject({ pushed: 2, failed: [] });
  });

  it('resources refused in a batch do not hold back the others (refused fields stop the ones after them)', async () => {
    const ws = `${id}-f`;
    const c = await caretakerWith(
      ['s1', 's2', 'w1', 'w2'].map((n) => `dataos://${n[0] === 's' ? 'service' : 'workflow'}:${ws}/${n}`),
    );
    const dave = await tokenFor('dave');
    let requests = 0;
    const partly = writer({
      token: async () => {
        requests++;
        return dave;
      },
    });
    const result = await new MetisResourceSync(c, partly).run();
    expect(result.pushed).toBe(2);
    expect(result.failed.map((f) => [f.urn, f.code])).toEqual([
      [`dataos://service:${ws}/s1`, 'FORBIDDEN'],
      [`dataos://service:${ws}/s2`, 'FORBIDDEN'],
    ]);
    // Services come first (URN order): each refusal costs one more request, then both workflows pass.
    expect(requests).toBe(3);
    expect(await inMetis(`dataos://workflow:${ws}/w2`)).toMatchObject({ name: 'w2' });
    expect((await c.db.collection('metis_resources').find().toArray()).map((d) => d._id)).toEqual([
      `dataos://workflow:${ws}/w1`,
      `dataos://workflow:${ws}/w2`,
    ]);
  });

  it('Metis unreachable: retried with backoff, then left for the next run', async () => {
    const ws = `${id}-d`;
    const c = await caretakerWith(Array.from({ length: 5 }, (_, i) => `dataos://workflow:${ws}/w${i}`));
    // A port nothing listens on (a server started and stopped).
    const gone = await serveTestSubgraph(await createMetisSubgraph({ neo4j, heimdall: new HeimdallClient() }));
    await gone.stop();
    let attempts = 0;
    const down = writer({
      url: gone.url,
      retries: 2,
      token: async () => {
        attempts++;
        return servicesToken();
      },
    });
    const started = Date.now();
    const result = await new MetisResourceSync(c, down, { batchSize: 2 }).run();
    expect(result.pushed).toBe(0);
    expect(result.failed).toHaveLength(5);
    expect(new Set(result.failed.map((f) => f.code))).toEqual(new Set(['SERVICE_UNAVAILABLE']));
    // The first batch was tried 3 times (backoff 10 + 20 ms); the others were not sent.
    expect(attempts).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(30);
    expect(await new MetisResourceSync(c, writer()).run()).toMatchObject({ pushed: 5, failed: [] });
  });

  it('batches: 60 resources in requests of 20 (the most root fields Metis takes) cost 3 requests', async () => {
    const ws = `${id}-e`;
    const c = await caretakerWith(Array.from({ length: 60 }, (_, i) => `dataos://service:${ws}/s${i}`));
    let requests = 0;
    const counted = writer({
      token: async () => {
        requests++;
        return servicesToken();
      },
    });
    expect(await new MetisResourceSync(c, counted).run()).toMatchObject({ pushed: 60, failed: [] });
    expect(requests).toBe(3);
    const listed = await graphql<{ resources: { totalCount: number } }>(
      metis.url,
      '{ resources(first: 1, kind: SERVICE) { totalCount } }',
      { token: await servicesToken() },
    );
    expect(listed.data?.resources.totalCount).toBeGreaterThanOrEqual(60);
  });
});
