import { pathToFileURL } from 'node:url';
import { fetchDevToken, startDevstack } from '@dataos/devstack';
import { createHeimdallSubgraph } from '@dataos/heimdall';
import { HeimdallClient } from '@dataos/heimdall-client';
import { createMetisSubgraph } from '@dataos/metis';
import { metisSettingsFromEnv } from '../subgraphs/metis/src/settings.js';
import { mongoFromEnv, neo4jFromEnv, type Neo4jStore } from '@dataos/stores';
import { CatalogStore } from '../subgraphs/metis/src/store/catalog.js';
import { lineageGraphs, visibleLineage } from '../subgraphs/metis/src/store/lineage.js';
import { migrate } from '../subgraphs/metis/src/store/migrate.js';
import { forgivingCandidates } from '../subgraphs/metis/src/store/search.js';
import { CatalogWriter, type DatasetIngest, type LineageInput } from '../subgraphs/metis/src/store/writes.js';
import { fuzzyLuceneQuery, luceneQuery } from '../subgraphs/metis/src/text.js';
import { closedLoop, formatNumber, table } from './lib/stats.js';

/**
 * Metis on the devstack's Neo4j: bulk ingest of 10,000 datasets x 20 columns (batched UNWIND, one
 * transaction per 1,000 datasets) against one transaction per dataset; full-text search and
 * lineage to depth 5 on that graph against a trivial round trip; and search through Metis's
 * GraphQL with Heimdall deciding every hit, against `{ __typename }` on the same server. Every
 * baseline is measured in the same run. The bench uses its own depot and vocabulary (so that it
 * never crowds other searches) and deletes its data at the end.
 */

const DATASETS = Number(process.env.METIS_BENCH_DATASETS ?? 10_000);
const COLUMNS = 20;
const BATCH = 1000;
const BASELINE_DATASETS = 100;
const LEVELS = 6;
const WORKFLOWS = 50;
/**
 * A decision batch of 1,000 checks under 8 concurrent searches can exceed the 2 s default on a
 * loaded machine; the bench measures latency, so it waits rather than failing.
 */
const HEIMDALL_TIMEOUT_MS = 30_000;

const WORDS = [
  'nebula',
  'quasar',
  'pulsar',
  'orbit',
  'comet',
  'telemetry',
  'sensor',
  'reading',
  'beacon',
  'antenna',
  'payload',
  'thruster',
  'gimbal',
  'relay',
  'uplink',
  'downlink',
  'spectrum',
  'flux',
  'plasma',
  'magnetar',
];
const COLUMN_WORDS = [
  'station_id',
  'captured_at',
  'latitude',
  'longitude',
  'altitude',
  'voltage',
  'temperature',
  'signal_db',
  'operator_email',
  'firmware',
  'batch_no',
  'quality',
  'checksum',
  'azimuth',
  'elevation',
  'drift',
  'gain',
  'noise',
  'frame',
  'sequence',
];
const TYPES = ['bigint', 'varchar', 'double', 'timestamp', 'boolean'];
const LAYERS = ['raw', 'clean', 'curated', 'serving'];

/** A deterministic PRNG, so that runs are comparable. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function syntheticDatasets(depot: string, from: number, count: number): DatasetIngest[] {
  const rnd = random(from + 7);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    const name = `${pick(WORDS)}_${pick(WORDS)}_${i}`;
    return {
      urn: `dataos://${depot}:c${i % 10}/${name}`,
      name,
      kind: 'TABLE',
      description: `${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)} measurements from the ${pick(WORDS)} ${pick(WORDS)} array`,
      format: 'iceberg',
      layer: LAYERS[i % LAYERS.length]!,
      tags: [`Bench.${pick(['Gold', 'Silver', 'Bronze'])}`, `Orbit.${pick(WORDS)}`],
      owners: [{ id: `teams:id:${depot}-t${i % 20}`, kind: 'TEAM', name: null, email: null }],
      columns: Array.from({ length: COLUMNS }, (_, j) => ({
        name: `${COLUMN_WORDS[j]!}${j % 3 === 1 ? `_${pick(WORDS)}` : ''}`,
        type: pick(TYPES),
        nullable: true,
        tags: j === 8 ? ['PII.Email'] : [],
      })),
    };
  });
}

/** Level of dataset i in the lineage DAG, and its upstreams: two datasets of the level above. */
function syntheticLineage(urns: string[], depot: string): LineageInput[] {
  const rnd = random(42);
  const perLevel = Math.ceil(urns.length / LEVELS);
  const edges: LineageInput[] = [];
  for (let i = perLevel; i < urns.length; i++) {
    const level = Math.floor(i / perLevel);
    for (let k = 0; k < 2; k++) {
      const up = (level - 1) * perLevel + Math.floor(rnd() * perLevel);
      edges.push({
        upstream: urns[up]!,
        downstream: urns[i]!,
        via: `dataos://workflow:public/${depot}-wf${i % WORKFLOWS}`,
        job: `job${k}`,
        columns: k === 0 ? [{ upstream: 'station_id', downstream: 'station_id', transformation: null }] : [],
      });
    }
  }
  return edges;
}

export async function cleanup(neo4j: Neo4jStore, depot: string) {
  const session = neo4j.driver.session({ database: neo4j.database });
  try {
    // Implicit transactions: CALL ... IN TRANSACTIONS deletes in chunks.
    await session.run(
      `MATCH (n:Column|DatasetVersion) WHERE n.datasetUrn STARTS WITH $p CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS`,
      { p: `dataos://${depot}:` },
    );
    await session.run(
      `MATCH (n) WHERE (n:Dataset AND n.urn STARTS WITH $p) OR (n:Source AND n.name = $depot)
         OR ((n:Resource OR n:Owner) AND (coalesce(n.urn, '') CONTAINS $depot OR coalesce(n.id, '') CONTAINS $depot))
       CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS`,
      { p: `dataos://${depot}:`, depot },
    );
  } finally {
    await session.close();
  }
}

const seconds = (since: number) => (performance.now() - since) / 1000;

export async function runMetisBench(): Promise<string> {
  const devstack = await startDevstack();
  Object.assign(process.env, devstack.env, { LOG_LEVEL: 'silent' });
  const neo4j = neo4jFromEnv('METIS');
  const depot = `metisbench${Date.now().toString(36)}`;
  const baselineDepot = `${depot}x`;
  const store = new CatalogStore(neo4j);
  const writer = new CatalogWriter(neo4j);
  const mongo = await mongoFromEnv('HEIMDALL', `heimdall_bench_${depot}`, {
    ...process.env,
    HEIMDALL_MONGO_DB: undefined,
  });
  const out: string[] = [];
  try {
    await migrate(neo4j);
    for (let w = 0; w < WORKFLOWS; w++)
      await writer.upsertResource({ kind: 'WORKFLOW', workspace: 'public', name: `${depot}-wf${w}` });

    // ---------------------------------------------------------------- ingest
    let started = performance.now();
    const urns: string[] = [];
    for (let from = 0; from < DATASETS; from += BATCH) {
      const batch = syntheticDatasets(depot, from, Math.min(BATCH, DATASETS - from));
      urns.push(...batch.map((d) => d.urn));
      await writer.ingest({ name: depot, type: 'bench' }, batch, {});
    }
    const batched = seconds(started);
    started = performance.now();
    for (let from = 0; from < DATASETS; from += BATCH) {
      await writer.ingest({ name: depot }, syntheticDatasets(depot, from, Math.min(BATCH, DATASETS - from)), {});
    }
    const unchanged = seconds(started);
    started = performance.now();
    for (const d of syntheticDatasets(baselineDepot, 0, BASELINE_DATASETS))
      await writer.ingest({ name: baselineDepot }, [d], {});
    const single = seconds(started);
    const batchedRate = DATASETS / batched;
    const singleRate = BASELINE_DATASETS / single;
    out.push(
      `Metis ingest: ${DATASETS.toLocaleString('en-US')} datasets x ${COLUMNS} columns (${(DATASETS * COLUMNS).toLocaleString('en-US')} columns), Neo4j on loopback`,
      table(
        ['ingest', 'datasets', 'seconds', 'datasets/s', 'columns/s', 'vs per-dataset tx'],
        [
          ['one transaction per dataset (baseline)', BASELINE_DATASETS, single, singleRate, singleRate * COLUMNS, 1],
          [
            `batched UNWIND, ${BATCH} per transaction`,
            DATASETS,
            batched,
            batchedRate,
            batchedRate * COLUMNS,
            batchedRate / singleRate,
          ],
          [
            'same input again (idempotent: unchanged)',
            DATASETS,
            unchanged,
            DATASETS / unchanged,
            0,
            DATASETS / unchanged / singleRate,
          ],
        ],
      ),
    );

    // ---------------------------------------------------------------- lineage edges
    started = performance.now();
    const edges = syntheticLineage(urns, depot);
    for (let i = 0; i < edges.length; i += 2000) await writer.addLineage(edges.slice(i, i + 2000), {});
    out.push(
      `lineage: ${edges.length.toLocaleString('en-US')} edges (${LEVELS} levels, 2 upstreams each, through ${WORKFLOWS} workflows) in ${seconds(started).toFixed(1)} s`,
    );

    // ---------------------------------------------------------------- store-level queries
    const load = { concurrency: 8, durationMs: 4000, maxCount: 20_000 };
    const queries = ['telemetry', 'nebula sensor', 'operator email', 'puls', 'quasar flux array'];
    const filter = {
      types: ['DATASET', 'COLUMN', 'GLOSSARY_TERM'] as const,
      tag: null,
      owner: null,
      domain: null,
      source: depot,
    };
    let q = 0;
    const search = () => {
      const text = queries[q++ % queries.length]!;
      return forgivingCandidates(store, text, luceneQuery(text)!, fuzzyLuceneQuery(text), {
        ...filter,
        types: [...filter.types],
      });
    };
    const perLevel = Math.ceil(urns.length / LEVELS);
    const rnd = random(9);
    let reached = 0;
    let walks = 0;
    const lineage = async (direction: 'UPSTREAM' | 'DOWNSTREAM') => {
      const level = direction === 'DOWNSTREAM' ? 0 : LEVELS - 1;
      const root = urns[Math.min(urns.length - 1, level * perLevel + Math.floor(rnd() * perLevel))]!;
      const graph = (await lineageGraphs(store, [root], direction, 5)).get(root)!;
      const visible = visibleLineage(graph, direction, 5, new Set(graph.datasets.map((d) => d.urn)));
      reached += visible.hops.length;
      walks++;
    };
    const trivial = () => store.ping();
    for (const warm of [trivial, search]) await closedLoop(warm, { ...load, durationMs: 1000 });
    const base = await closedLoop(trivial, load);
    const alone = await closedLoop(search, { ...load, concurrency: 1 });
    const s = await closedLoop(search, load);
    // The most hits one of the queries ranks (the ceiling is 5,000).
    let candidates = 0;
    for (let i = 0; i < queries.length; i++) candidates = Math.max(candidates, (await search()).length);
    const down = await closedLoop(() => lineage('DOWNSTREAM'), load);
    const downReach = reached / walks;
    reached = walks = 0;
    const up = await closedLoop(() => lineage('UPSTREAM'), load);
    const upReach = reached / walks;
    out.push(
      '',
      `Metis queries on that graph (store level, ${load.concurrency} concurrent callers, ${load.durationMs / 1000} s each)`,
      table(
        ['query', 'per s', 'p50 ms', 'p99 ms', 'vs trivial p50'],
        [
          ['trivial round trip (RETURN 1)', base.perSecond, base.p50Ms, base.p99Ms, 1],
          [
            `full-text search, 1 caller (5 queries, up to ${formatNumber(candidates)} hits ranked)`,
            alone.perSecond,
            alone.p50Ms,
            alone.p99Ms,
            alone.p50Ms / base.p50Ms,
          ],
          [`full-text search, ${load.concurrency} callers`, s.perSecond, s.p50Ms, s.p99Ms, s.p50Ms / base.p50Ms],
          [
            `lineage downstream depth 5 (${formatNumber(downReach)} datasets, edges, columns)`,
            down.perSecond,
            down.p50Ms,
            down.p99Ms,
            down.p50Ms / base.p50Ms,
          ],
          [
            `lineage upstream depth 5 (${formatNumber(upReach)} datasets)`,
            up.perSecond,
            up.p50Ms,
            up.p99Ms,
            up.p50Ms / base.p50Ms,
          ],
        ],
      ),
    );

    // ---------------------------------------------------------------- through GraphQL, with Heimdall
    const heimdall = await createHeimdallSubgraph({ mongo, pollMs: 100 });
    const heimdallRunning = await heimdall.listen(0);
    const metis = await createMetisSubgraph({
      neo4j,
      heimdall: new HeimdallClient({ url: heimdallRunning.url, timeoutMs: HEIMDALL_TIMEOUT_MS }),
    });
    const running = await metis.listen(0);
    // The same Metis deciding every dataset one by one (METIS_LIST_AUTHZ=decisions), the baseline
    // of grants (one Heimdall call per request, checked locally).
    const perObject = await createMetisSubgraph({
      neo4j,
      heimdall: new HeimdallClient({ url: heimdallRunning.url, timeoutMs: HEIMDALL_TIMEOUT_MS }),
      settings: { ...metisSettingsFromEnv(), listAuthz: 'decisions' },
    });
    const perObjectRunning = await perObject.listen(0);
    const admin = (await fetchDevToken('carol')).access_token;
    const post = (url: string, token: string, query: string, variables: Record<string, unknown> = {}) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      }).then(async (r) => {
        const body = (await r.json()) as { errors?: unknown[] };
        if (body.errors) throw new Error(JSON.stringify(body.errors));
        return body;
      });
    await post(heimdallRunning.url, admin, 'mutation ($i: PolicyInput!) { createPolicy(input: $i) { name } }', {
      i: {
        name: 'bench-readers',
        effect: 'ALLOW',
        subjects: [['roles:id:data-dev']],
        actions: ['read'],
        objects: { paths: [`dataos://${depot}:c[0-4]/**`, '/metis/**'], tags: [] },
      },
    });
    const alice = (await fetchDevToken('alice')).access_token;
    const SEARCH = `query ($q: String!, $s: String) { search(query: $q, first: 20, filter: { source: $s }) {
      totalCount edges { node { score node { ... on Dataset { urn } ... on Column { datasetUrn name } } } } } }`;
    // The same page without counts or facets: authorized only until one readable hit past it.
    const PAGE = `query ($q: String!, $s: String) { search(query: $q, first: 20, filter: { source: $s }) {
      pageInfo { hasNextPage } edges { node { score node { ... on Dataset { urn } ... on Column { datasetUrn name } } } } } }`;
    const LINEAGE = `query ($u: ID!) { lineage(urn: $u, direction: DOWNSTREAM, depth: 5) { nodes { dataset { urn } } edges { viaUrn } workflows { urn } } }`;
    const gqlSearch = () => post(running.url, alice, SEARCH, { q: queries[q++ % queries.length], s: depot });
    const decidedSearch = () =>
      post(perObjectRunning.url, alice, SEARCH, { q: queries[q++ % queries.length], s: depot });
    const decidedPage = () => post(perObjectRunning.url, alice, PAGE, { q: queries[q++ % queries.length], s: depot });
    const readable = urns.filter((u) => /:c[0-4]\//.test(u)).slice(0, perLevel);
    const gqlPage = () => post(running.url, alice, PAGE, { q: queries[q++ % queries.length], s: depot });
    const gqlLineage = () => post(running.url, alice, LINEAGE, { u: readable[Math.floor(rnd() * readable.length)] });
    const typename = () => post(running.url, alice, '{ __typename }');
    const http = { concurrency: 8, durationMs: 4000, maxCount: 20_000 };
    for (const warm of [typename, gqlSearch, gqlPage, gqlLineage, decidedSearch, decidedPage])
      await closedLoop(warm, { ...http, durationMs: 1000 });
    const hb = await closedLoop(typename, http);
    const hs = await closedLoop(gqlSearch, http);
    const hp = await closedLoop(gqlPage, http);
    const hl = await closedLoop(gqlLineage, http);
    const ds = await closedLoop(decidedSearch, http);
    const dp = await closedLoop(decidedPage, http);
    await running.stop();
    await perObjectRunning.stop();
    await heimdallRunning.stop();
    await heimdall.close();
    out.push(
      '',
      `Through Metis's GraphQL as alice (HTTP, token verification; she may read half the depot; ${http.concurrency} concurrent clients). Lists filtered by Heimdall grants (one call per request), and by one decision per dataset (METIS_LIST_AUTHZ=decisions) in the same run`,
      table(
        ['operation', 'requests/s', 'p50 ms', 'p99 ms', 'vs { __typename } p50'],
        [
          ['{ __typename } (baseline)', hb.perSecond, hb.p50Ms, hb.p99Ms, 1],
          ['search, first 20 (counts over every readable hit)', hs.perSecond, hs.p50Ms, hs.p99Ms, hs.p50Ms / hb.p50Ms],
          [
            'search, first 20 (page only: no totalCount or facets)',
            hp.perSecond,
            hp.p50Ms,
            hp.p99Ms,
            hp.p50Ms / hb.p50Ms,
          ],
          ['lineage downstream depth 5', hl.perSecond, hl.p50Ms, hl.p99Ms, hl.p50Ms / hb.p50Ms],
          [
            'search with counts, a decision per dataset (baseline of grants)',
            ds.perSecond,
            ds.p50Ms,
            ds.p99Ms,
            ds.p50Ms / hb.p50Ms,
          ],
          ['search page only, a decision per dataset', dp.perSecond, dp.p50Ms, dp.p99Ms, dp.p50Ms / hb.p50Ms],
        ],
      ),
      `grants against a decision per dataset, same run: search with counts ${formatNumber(hs.perSecond / ds.perSecond)}x the requests/s (p50 ${formatNumber(ds.p50Ms / hs.p50Ms)}x lower); page only ${formatNumber(hp.perSecond / dp.perSecond)}x (p50 ${formatNumber(dp.p50Ms / hp.p50Ms)}x lower)`,
    );
    return out.join('\n');
  } finally {
    await cleanup(neo4j, depot);
    await cleanup(neo4j, baselineDepot);
    await mongo.db.dropDatabase();
    await mongo.close();
    await neo4j.close();
    await devstack.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  console.log(await runMetisBench());
}
