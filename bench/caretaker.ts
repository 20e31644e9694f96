import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { startDevstack } from '@dataos/devstack';
import { mongoFromEnv, type MongoStore } from '@dataos/stores';
import { ArchiveReader } from '../subgraphs/caretaker/src/archive/reader.js';
import { LocalFolderArchiveStore } from '../subgraphs/caretaker/src/archive/store.js';
import {
  POD_PHASES,
  eventId,
  podKey,
  type ClusterEvent,
  type HistoryEvent,
  type PodDoc,
  type PodPhase,
} from '../subgraphs/caretaker/src/model.js';
import { podSnapshot } from '../subgraphs/caretaker/src/snapshot.js';
import { collectionsOf, ensureIndexes, type Collections } from '../subgraphs/caretaker/src/store/collections.js';
import { HistoryStore } from '../subgraphs/caretaker/src/store/history.js';
import { backfillRollups } from '../subgraphs/caretaker/src/store/backfill.js';
import { ingestEvents, ingestOneByOne } from '../subgraphs/caretaker/src/store/ingest.js';
import { compactRollups, recordHistory } from '../subgraphs/caretaker/src/store/rollups.js';
import { podAggregates } from '../subgraphs/caretaker/src/store/pods.js';
import { formatNumber, table } from './lib/stats.js';

/**
 * Caretaker on the local MongoDB (FerretDB 1.24 here; MongoDB 6/7 in production):
 *  1. ingest rate of watch events, bulk writes (batches of 1000, as the informer sink sends)
 *     against one-by-one writes as the baseline, same stream, same run; both write the history,
 *     its rollup part and the current state;
 *  2. latency of podEventStats (event counts by namespace, phase and type over 7 days) from the
 *     rollups at one million events, recorded through the ingest path's history + rollup step,
 *     against an indexed find (one pod's history) and the old raw `$group` at 100,000 events,
 *     measured in the same run.
 * Everything goes to a bench database of its own, dropped at the end. Recording stops at
 * `CARETAKER_BENCH_INSERT_BUDGET_S` (420 s) if one million takes longer; the output says so.
 */

const NAMESPACES = Array.from({ length: 20 }, (_, i) => `team-${String(i).padStart(2, '0')}`);
const NODES = Array.from({ length: 12 }, (_, i) => `node-${i}`);
const TARGET_HISTORY = 1_000_000;

export interface CaretakerBenchOptions {
  /** Time budget for recording the history; when it runs out first, the output says so. */
  insertBudgetMs?: number;
  /** Only the ingest table (`CARETAKER_BENCH_INGEST_ONLY=1`). */
  ingestOnly?: boolean;
}

function benchOptions(env: NodeJS.ProcessEnv = process.env): Required<CaretakerBenchOptions> {
  const raw = env.CARETAKER_BENCH_INSERT_BUDGET_S;
  const seconds = raw === undefined || raw === '' ? 420 : Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new Error(`CARETAKER_BENCH_INSERT_BUDGET_S="${raw}" is not a positive number of seconds.`);
  const only = env.CARETAKER_BENCH_INGEST_ONLY ?? '';
  if (!['', '0', '1'].includes(only))
    throw new Error(`CARETAKER_BENCH_INGEST_ONLY="${only}" must be 1 (ingest table only) or 0.`);
  return { insertBudgetMs: seconds * 1000, ingestOnly: only === '1' };
}
const INSERT_BATCH = 5000;
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
      ...Array.from(
        { length: restarts },
        (_, r) => [60 + r * 30, 'RUNNING', node, r + 1, 'MODIFIED'] as [number, PodPhase, string, number, 'MODIFIED'],
      ),
      [600, p % 5 === 0 ? 'FAILED' : 'SUCCEEDED', node, restarts, 'MODIFIED'],
      ...(p % 3 === 0
        ? [
            [900, p % 5 === 0 ? 'FAILED' : 'SUCCEEDED', node, restarts, 'DELETED'] as [
              number,
              PodPhase,
              string,
              number,
              'DELETED',
            ],
          ]
        : []),
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
            conditions: [
              {
                type: 'Ready',
                status: phase === 'RUNNING' ? 'TRUE' : 'FALSE',
                reason: null,
                message: null,
                lastTransitionTime: null,
              },
            ],
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
const progress = (message: string) =>
  process.stderr.write(`[caretaker bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

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
      `Ingest: a stream of pod watch events (2,000 pods, ~6 events each, ~3% duplicates, late events) into empty collections; time-boxed;`,
      `both paths write the history, its rollup part (intent, insert, part: recordHistory) and the current state`,
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

function historyDoc(i: number, start: number, spanMs: number, total: number): HistoryEvent {
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

/** Median ms of `runs` calls of `f`. */
async function medianMs(runs: number, f: () => Promise<unknown>): Promise<number> {
  const ms: number[] = [];
  for (let r = 0; r < runs; r++) ms.push((await timed(f)).ms);
  return median(ms);
}

/** A 30-day compaction slot: this process is the only compactor, and no slot end cuts a run short. */
const BENCH_SLOT_MS = 30 * DAY;

async function aggregateBench(
  mongo: MongoStore,
  c: Collections,
  options: Required<CaretakerBenchOptions>,
): Promise<string> {
  const archiveDir = await mkdtemp(path.join(os.tmpdir(), 'caretaker-bench-'));
  try {
    const reader = new ArchiveReader(new LocalFolderArchiveStore(archiveDir));
    const history = new HistoryStore(c, reader);
    // An empty history: the one-time backfill only sets its flag, rollups answer from then on.
    await backfillRollups(c, reader);
    const start = Date.now() - 7 * DAY;
    const from = new Date(start - 1000);
    const to = new Date();
    // Baseline: one single-document read by _id (the one filter FerretDB pushes down; a find on
    // (kind, key) is a 65–80 s scan there at 1,000,000 events, which made a run take 25 minutes).
    const lookupId = eventId('Pod', podKey(NAMESPACES[12_343 % NAMESPACES.length]!, 'job-12343'), 1_000_000 + 12_343);
    const find = () => c.history.findOne({ _id: lookupId });
    const compact = async () => {
      const t = await timed(() => compactRollups(c, { slotMs: BENCH_SLOT_MS }));
      compactMs += t.ms;
      return t.value;
    };

    const rows: (string | number)[][] = [];
    let insertMs = 0;
    let compactMs = 0;
    let total = 0;
    let raw100k = 0;
    let check = 'not reached';
    while (total < TARGET_HISTORY && insertMs < options.insertBudgetMs) {
      const docs = Array.from({ length: INSERT_BATCH }, (_, j) =>
        historyDoc(total + j, start, 7 * DAY, TARGET_HISTORY),
      );
      insertMs += (await timed(() => recordHistory(c, docs))).ms;
      total += INSERT_BATCH;
      if (total % 100_000 !== 0) continue;
      progress(`history: ${total} events recorded with their rollup parts (${Math.round(insertMs / 1000)} s)`);
      if (total === TARGET_HISTORY) {
        // Before the last compaction: 100,000 events' parts still pending, as between two runs.
        const pending = await c.rollupParts.countDocuments();
        rows.push([
          `${formatNumber(total)} (${pending} parts pending)`,
          await medianMs(5, () => history.stats(from, to)),
          '—',
          await medianMs(5, find),
          '—',
        ]);
      }
      await compact();
      if (total === 100_000) {
        // The old path, at a size where it finishes: the raw $group over the whole history.
        const rolled = await history.stats(from, to);
        const raw = await history.rawStats(rolled.from, rolled.to);
        check = isDeepStrictEqual(rolled, raw)
          ? `equal (total ${formatNumber(raw.total)})`
          : `DIFFERENT: rollups ${rolled.total}, raw ${raw.total}`;
        raw100k = await medianMs(2, () => history.rawStats(from, to));
        const roll = await medianMs(5, () => history.stats(from, to));
        const f = await medianMs(5, find);
        rows.push([formatNumber(total), roll, raw100k, f, roll / f]);
      }
    }
    progress(`aggregate: measuring at ${total} events`);
    const roll = await medianMs(10, () => history.stats(from, to));
    const f = await medianMs(10, find);
    rows.push([`${formatNumber(total)} (compacted)`, roll, '—', f, roll / f]);
    const stats = await history.stats(from, to);
    const plan = (await c.history.find({ _id: lookupId }).explain()) as { queryPlanner?: { Plan?: string[] } };
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
        newest.set(id, {
          _id: id,
          ...e.pod,
          deleted: e.type === 'DELETED',
          deletedAt: null,
          observedAt: e.observedAt,
          updatedAt: new Date(),
        });
      }
    }
    await pc.pods.insertMany([...newest.values()]);
    const podCount = await pc.pods.countDocuments({ deleted: false });
    const current = await medianMs(3, () => podAggregates(pc, {}));
    await pods.dropDatabase();

    const reached = total >= TARGET_HISTORY;
    return [
      `podEventStats over the history: ${formatNumber(total)} pod events written through recordHistory, the history + rollup step of ingestEvents`,
      `(intent, history insert with the batch id, rollup parts, in batches of ${formatNumber(INSERT_BATCH)}; the current-state writes that follow it in ingestEvents`,
      `are left out: they never touch rollups, and their cost grows with the pods collection, not the history; the ingest table above includes them).`,
      `Recorded in ${formatNumber(insertMs / 1000)} s (${formatNumber((total / insertMs) * 1000)} events/s); compaction every 100,000 events, ${formatNumber(compactMs / 1000)} s in all.`,
      reached
        ? `RESULT AT ${formatNumber(total)} EVENTS: MEASURED`
        : `RESULT AT 1,000,000 EVENTS: NOT REACHED (${formatNumber(total)} recorded before the ${formatNumber(options.insertBudgetMs / 1000)} s budget ran out; figures are at ${formatNumber(total)})`,
      table(
        [
          'history events',
          'podEventStats ms (rollups)',
          'raw $group ms (old path)',
          'findOne by _id ms (baseline)',
          'rollups / findOne',
        ],
        rows,
      ),
      `raw $group at 100,000 events / rollups at ${formatNumber(total)}: ${formatNumber(raw100k / roll)}x faster (the raw $group is linear in the history on FerretDB: ~${formatNumber((raw100k * TARGET_HISTORY) / 100_000 / 1000)} s at 1,000,000 by extrapolation, not measured)`,
      `check: rollups = raw aggregate over the same hours at 100,000 events: ${check}; total at ${formatNumber(total)}: ${formatNumber(stats.total)}`,
      `podEventStats: 7 days, rounded to whole hours; reads ${daysBetweenCount(from, to)} day documents + the pending parts (FerretDB pushes down only _id equality)`,
      `baseline: findOne({ _id }) of one history event (pushed down on FerretDB, the _id index on MongoDB); FerretDB plan: ${planText}`,
      `current-state aggregates (podAggregates: 4 one-accumulator $group + nodes) over ${formatNumber(podCount)} pods: ${formatNumber(current)} ms`,
    ].join('\n');
  } finally {
    await rm(archiveDir, { recursive: true, force: true });
  }
}

const daysBetweenCount = (from: Date, to: Date) =>
  Math.floor(to.getTime() / DAY) - Math.floor(from.getTime() / DAY) + 1;

export async function runCaretakerBench(opts: CaretakerBenchOptions = {}): Promise<string> {
  const env = benchOptions();
  const options = {
    insertBudgetMs: opts.insertBudgetMs ?? env.insertBudgetMs,
    ingestOnly: opts.ingestOnly ?? env.ingestOnly,
  };
  const devstack = await startDevstack({ services: ['ferretdb'] });
  Object.assign(process.env, devstack.env, { LOG_LEVEL: 'silent' });
  const mongo = await mongoFromEnv('CARETAKER', `caretaker_bench_${Date.now()}`, {
    ...process.env,
    CARETAKER_MONGO_DB: undefined,
  });
  try {
    const c = collectionsOf(mongo.db);
    progress(`database ${mongo.db.databaseName}`);
    await ensureIndexes(c);
    const ingest = await ingestBench(mongo);
    // CARETAKER_BENCH_INGEST_ONLY=1: the ingest table only (the history/aggregate part takes many minutes).
    const aggregate = options.ingestOnly
      ? '(history/aggregate part skipped: CARETAKER_BENCH_INGEST_ONLY=1)'
      : await aggregateBench(mongo, c, options);
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
