import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startDevstack } from '@dataos/devstack';
import { mongoFromEnv, type MongoStore } from '@dataos/stores';
import { ArchiveReader } from '../subgraphs/caretaker/src/archive/reader.js';
import { LocalFolderArchiveStore } from '../subgraphs/caretaker/src/archive/store.js';
import { POD_PHASES, eventId, podKey, type ClusterEvent, type HistoryDoc, type PodDoc, type PodPhase } from '../subgraphs/caretaker/src/model.js';
import { podSnapshot } from '../subgraphs/caretaker/src/snapshot.js';
import { collectionsOf, ensureIndexes, type Collections } from '../subgraphs/caretaker/src/store/collections.js';
import { HistoryStore } from '../subgraphs/caretaker/src/store/history.js';
import { ingestEvents, ingestOneByOne } from '../subgraphs/caretaker/src/store/ingest.js';
import { podAggregates } from '../subgraphs/caretaker/src/store/pods.js';
import { formatNumber, table } from './lib/stats.js';

/**
 * Caretaker on the local MongoDB (FerretDB 1.24 here; MongoDB 6/7 in production):
 *  1. ingest rate of watch events, bulk writes (batches of 1000, as the informer sink sends)
 *     against one-by-one writes as the baseline, same stream, same run;
 *  2. latency of an aggregate over the history (event counts by namespace, phase and type over
 *     a time range: one one-accumulator `$group`) at up to one million events, against a simple
 *     indexed find (one pod's history) as the baseline.
 * Everything goes to a bench database of its own, dropped at the end.
 *
 * By default the history insert stops after 2 minutes and the one-million figure is
 * extrapolated (said so in the output). `CARETAKER_BENCH_FULL_HISTORY=1` (or `--full-history`)
 * inserts the real one million events, within `CARETAKER_BENCH_INSERT_BUDGET_S` (default 1800 s
 * then, 120 s otherwise); the output says whether each figure is measured or extrapolated.
 */

const NAMESPACES = Array.from({ length: 20 }, (_, i) => `team-${String(i).padStart(2, '0')}`);
const NODES = Array.from({ length: 12 }, (_, i) => `node-${i}`);
const TARGET_HISTORY = 1_000_000;

export interface CaretakerBenchOptions {
  /** Insert the whole TARGET_HISTORY, not what fits 2 minutes. */
  fullHistory?: boolean;
  /** Insert time budget; when it runs out first, the one-million figure is extrapolated. */
  insertBudgetMs?: number;
}

function benchOptions(env: NodeJS.ProcessEnv = process.env, argv: string[] = process.argv): Required<CaretakerBenchOptions> {
  const fullHistory = env.CARETAKER_BENCH_FULL_HISTORY === '1' || env.CARETAKER_BENCH_FULL_HISTORY === 'true' || argv.includes('--full-history');
  const raw = env.CARETAKER_BENCH_INSERT_BUDGET_S;
  const seconds = raw === undefined || raw === '' ? (fullHistory ? 1800 : 120) : Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`CARETAKER_BENCH_INSERT_BUDGET_S="${raw}" is not a positive number of seconds.`);
  return { fullHistory, insertBudgetMs: seconds * 1000 };
}
const INGEST_BUDGET_MS = 60_000;
const DAY = 86_400_000;

/** A pod's lifecycle as events: ADDED Pending, scheduled, Running, restarts, then Succeeded/Failed, some deleted. */
function podStream(pods: number, start: number): ClusterEvent[] {
  const out: { at: number; make: (rv: number) => ClusterEvent }[] = [];
  for (let p = 0; p < pods; p++) {
    const namespace = NAMESPACES[p % NAMESPACES.length]!;
    const name = `job-${p}`;
    const node = NODES[p % NODES.length]!;
    const t0 = start + p * 1000;
    const restarts = p % 7 === 0 ? 2 : 0;
    const steps: [number, PodPhase, string | null, number, 'ADDED' | 'MODIFIED' | 'DELETED'][] = [
      [0, 'PENDING', null, 0, 'ADDED'],
      [1, 'PENDING', node, 0, 'MODIFIED'],
      [8, 'RUNNING', node, 0, 'MODIFIED'],
      ...Array.from({ length: restarts }, (_, r) => [60 + r * 30, 'RUNNING', node, r + 1, 'MODIFIED'] as [number, PodPhase, string, number, 'MODIFIED']),
      [600, p % 5 === 0 ? 'FAILED' : 'SUCCEEDED', node, restarts, 'MODIFIED'],
      ...(p % 3 === 0 ? [[900, p % 5 === 0 ? 'FAILED' : 'SUCCEEDED', node, restarts, 'DELETED'] as [number, PodPhase, string, number, 'DELETED']] : []),
    ];
    for (const [s, phase, nodeName, restartCount, type] of steps) {
      out.push({
        at: t0 + s * 1000,
        make: (rv) => ({
          kind: 'Pod',
          type,
          observedAt: new Date(t0 + s * 1000),
          pod: podSnapshot({
            namespace,
            name,
            uid: `uid-${p}`,
            resourceVersion: rv,
            phase,
            reason: null,
            message: null,
            nodeName,
            labels: { app: name.slice(0, 5), 'dataos.io/resource-urn': `dataos://workflow:${namespace}/job-${p % 50}` },
            annotations: {},
            owner: { kind: 'Job', name },
            conditions: [{ type: 'Ready', status: phase === 'RUNNING' ? 'TRUE' : 'FALSE', reason: null, message: null, lastTransitionTime: null }],
            containers: [
              {
                name: 'main',
                image: 'registry.dataos.io/job:1.0',
                ready: phase === 'RUNNING',
                restartCount,
                state: phase === 'RUNNING' ? 'RUNNING' : phase === 'PENDING' ? 'WAITING' : 'TERMINATED',
                reason: null,
                exitCode: null,
                cpuRequestMillis: 500,
                memoryRequestBytes: 2 ** 30,
                cpuLimitMillis: null,
                memoryLimitBytes: null,
              },
            ],
            startedAt: null,
          }),
        }),
      });
    }
  }
  out.sort((a, b) => a.at - b.at);
  const events = out.map((e, i) => e.make(1000 + i));
  // A real feed: ~3% duplicate deliveries and some late events (swapped with a neighbour 10 ahead).
  for (let i = 0; i + 10 < events.length; i += 37) [events[i], events[i + 10]] = [events[i + 10]!, events[i]!];
  for (let i = 0; i < events.length; i += 33) events.splice(i + 1, 0, events[i]!);
  return events;
}

async function timed<T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await f();
  return { ms: performance.now() - t, value };
}

/** Progress on stderr (the result goes to stdout). */
const progress = (message: string) => process.stderr.write(`[caretaker bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Ingests batches of `size` until the stream or the time budget runs out; events done and ms. */
async function ingestFor(
  write: (events: ClusterEvent[]) => Promise<unknown>,
  stream: ClusterEvent[],
  size: number,
  budgetMs: number,
): Promise<{ events: number; ms: number }> {
  const began = performance.now();
  let done = 0;
  while (done < stream.length && performance.now() - began < budgetMs) {
    const batch = stream.slice(done, done + size);
    await write(batch);
    done += batch.length;
  }
  return { events: done, ms: performance.now() - began };
}

async function ingestBench(mongo: MongoStore): Promise<string> {
  const bulkDb = collectionsOf(mongo.client.db(`${mongo.db.databaseName}_bulk`));
  const singleDb = collectionsOf(mongo.client.db(`${mongo.db.databaseName}_single`));
  await ensureIndexes(bulkDb);
  await ensureIndexes(singleDb);
  try {
    const stream = podStream(2000, Date.now() - DAY);
    progress(`ingest: bulk, ${stream.length} events (at most ${INGEST_BUDGET_MS / 1000} s)`);
    const bulk = await ingestFor((batch) => ingestEvents(bulkDb, batch), stream, 1000, INGEST_BUDGET_MS);
    progress(`ingest: one by one (at most ${INGEST_BUDGET_MS / 2000} s)`);
    const single = await ingestFor((batch) => ingestOneByOne(singleDb, batch), stream, 1, INGEST_BUDGET_MS / 2);
    const bulkRate = (bulk.events / bulk.ms) * 1000;
    const singleRate = (single.events / single.ms) * 1000;
    return [
      `Ingest: a stream of pod watch events (2,000 pods, ~6 events each, ~3% duplicates, late events) into empty collections; time-boxed`,
      table(
        ['writes', 'events', 'seconds', 'events/s', 'vs baseline'],
        [
          ['one by one (baseline)', single.events, single.ms / 1000, singleRate, 1],
          ['bulk, batches of 1000', bulk.events, bulk.ms / 1000, bulkRate, bulkRate / singleRate],
        ],
      ),
    ].join('\n');
  } finally {
    await bulkDb.db.dropDatabase();
    await singleDb.db.dropDatabase();
  }
}

function historyDoc(i: number, start: number, spanMs: number, total: number): HistoryDoc {
  const pod = i % 50_000;
  const namespace = NAMESPACES[pod % NAMESPACES.length]!;
  const name = `job-${pod}`;
  const key = podKey(namespace, name);
  const rv = 1_000_000 + i;
  const phase: PodPhase = POD_PHASES[(i * 7) % 4]!;
  return {
    _id: eventId('Pod', key, rv),
    kind: 'Pod',
    key,
    namespace,
    name,
    uid: `uid-${pod}`,
    rv,
    type: i % 10 === 0 ? 'ADDED' : i % 17 === 0 ? 'DELETED' : 'MODIFIED',
    time: new Date(start + Math.floor((i / total) * spanMs)),
    phase,
    reason: phase === 'FAILED' ? 'Error' : null,
    message: null,
    nodeName: NODES[pod % NODES.length]!,
    restarts: i % 11 === 0 ? 1 : 0,
    ready: phase === 'RUNNING',
    resourceUrn: `dataos://workflow:${namespace}/job-${pod % 50}`,
    pressure: [],
  };
}

async function aggregateBench(mongo: MongoStore, c: Collections, options: Required<CaretakerBenchOptions>): Promise<string> {
  const archiveDir = await mkdtemp(path.join(os.tmpdir(), 'caretaker-bench-'));
  try {
    const history = new HistoryStore(c, new ArchiveReader(new LocalFolderArchiveStore(archiveDir)));
    const start = Date.now() - 7 * DAY;
    const from = new Date(start - 1000);
    const to = new Date();
    const lookupKey = podKey(NAMESPACES[3]!, 'job-12343');
    const measure = async (runs: number) => {
      const agg: number[] = [];
      const find: number[] = [];
      for (let r = 0; r < runs; r++) {
        agg.push((await timed(() => history.stats(from, to))).ms);
        find.push((await timed(() => c.history.find({ kind: 'Pod', key: lookupKey }).sort({ rv: 1 }).limit(100).toArray())).ms);
      }
      return { agg: mean(agg), find: mean(find) };
    };

    const rows: (string | number)[][] = [];
    // Insert time only (the checkpoint measurement is not part of it).
    const batch = 10_000;
    let insertMs = 0;
    let total = 0;
    while (total < TARGET_HISTORY && insertMs < options.insertBudgetMs) {
      const docs = Array.from({ length: batch }, (_, j) => historyDoc(total + j, start, 7 * DAY, TARGET_HISTORY));
      insertMs += (await timed(() => c.history.insertMany(docs, { ordered: false }))).ms;
      total += batch;
      if (total % 100_000 === 0) progress(`history: ${total} events inserted (${Math.round(insertMs / 1000)} s)`);
      if (total === 200_000) {
        // A first point, to see how latency grows with the collection.
        const m = await measure(1);
        rows.push([total, m.agg, m.find, m.agg / m.find]);
      }
    }
    const inserted = { ms: insertMs };
    progress(`aggregate: measuring at ${total} events`);
    const last = await measure(2);
    rows.push([total, last.agg, last.find, last.agg / last.find]);
    const stats = await history.stats(from, to);
    const plan = (await c.history.find({ kind: 'Pod', key: lookupKey }).sort({ rv: 1 }).explain()) as { queryPlanner?: { Plan?: string[] }; filterPushdown?: boolean };
    const planText = JSON.stringify(plan.queryPlanner?.Plan ?? plan.queryPlanner ?? {});

    // The current-state aggregate of the API (pods collection: bounded by the cluster's size),
    // with 5,000 pods written in bulk (their newest state).
    const pods = mongo.client.db(`${mongo.db.databaseName}_pods`);
    const pc = collectionsOf(pods);
    await ensureIndexes(pc);
    const newest = new Map<string, PodDoc>();
    for (const e of podStream(5000, Date.now() - DAY)) {
      if (e.kind !== 'Pod') continue;
      const id = podKey(e.pod.namespace, e.pod.name);
      const seen = newest.get(id);
      if (!seen || seen.resourceVersion < e.pod.resourceVersion) {
        newest.set(id, { _id: id, ...e.pod, deleted: e.type === 'DELETED', deletedAt: null, observedAt: e.observedAt, updatedAt: new Date() });
      }
    }
    await pc.pods.insertMany([...newest.values()]);
    const podCount = await pc.pods.countDocuments({ deleted: false });
    const current = median([await timed(() => podAggregates(pc, {})), await timed(() => podAggregates(pc, {})), await timed(() => podAggregates(pc, {}))].map((t) => t.ms));
    await pods.dropDatabase();

    const extrapolated = total < TARGET_HISTORY;
    const budget = `${formatNumber(options.insertBudgetMs / 1000)} s budget${options.fullHistory ? ', full history asked' : ''}`;
    return [
      `Aggregate over the history: ${formatNumber(total)} events inserted in ${formatNumber(inserted.ms / 1000)} s (${formatNumber((total / inserted.ms) * 1000)} docs/s, bulk inserts of 10,000; ${budget})`,
      extrapolated
        ? `RESULT AT 1,000,000 EVENTS: EXTRAPOLATED, NOT MEASURED (${formatNumber(total)} inserted before the budget ran out; CARETAKER_BENCH_FULL_HISTORY=1 inserts them all)`
        : `RESULT AT ${formatNumber(total)} EVENTS: MEASURED`,
      table(['history events', 'aggregate ms (podEventStats)', 'indexed find ms (baseline)', 'aggregate / find'], rows),
      `aggregate: counts by namespace × phase × type over 7 days (one $group, one $sum: 1), check: total ${formatNumber(stats.total)}`,
      `baseline: find({ kind, key }).sort({ rv: 1 }).limit(100) on the (kind, key, rv) index; FerretDB plan: ${planText}`,
      ...(extrapolated
        ? [
            `extrapolated (not measured) to 1,000,000 (linear: both are full scans on FerretDB): aggregate ≈ ${formatNumber((last.agg * TARGET_HISTORY) / total)} ms, find ≈ ${formatNumber((last.find * TARGET_HISTORY) / total)} ms`,
          ]
        : []),
      `current-state aggregates (podAggregates: 4 one-accumulator $group + nodes) over ${formatNumber(podCount)} pods: ${formatNumber(current)} ms`,
    ].join('\n');
  } finally {
    await rm(archiveDir, { recursive: true, force: true });
  }
}

export async function runCaretakerBench(opts: CaretakerBenchOptions = {}): Promise<string> {
  const base = benchOptions();
  const fullHistory = opts.fullHistory ?? base.fullHistory;
  const options = { fullHistory, insertBudgetMs: opts.insertBudgetMs ?? (fullHistory && !base.fullHistory ? 1_800_000 : base.insertBudgetMs) };
  const devstack = await startDevstack({ services: ['ferretdb'] });
  Object.assign(process.env, devstack.env, { LOG_LEVEL: 'silent' });
  const mongo = await mongoFromEnv('CARETAKER', `caretaker_bench_${Date.now()}`, { ...process.env, CARETAKER_MONGO_DB: undefined });
  try {
    const c = collectionsOf(mongo.db);
    progress(`database ${mongo.db.databaseName}`);
    await ensureIndexes(c);
    const ingest = await ingestBench(mongo);
    const aggregate = await aggregateBench(mongo, c, options);
    return [`Caretaker on ${process.env.MONGO_URL} (FerretDB 1.24 in development)`, ingest, aggregate].join('\n\n');
  } finally {
    await mongo.db.dropDatabase();
    await mongo.close();
    await devstack.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  console.log(await runCaretakerBench());
}
