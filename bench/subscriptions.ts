// npm run bench -- subscriptions: events per second delivered and publish->client latency for 1,
// 100 and 1,000 subscribers through the router, beside the same subgraph subscribed directly and
// Hive Gateway passing the same subscription through, in one run; and each gateway's resident
// memory per open subscription. Every client reads Server-Sent Events (distinct connections) from
// this process; gateways subscribe to the subgraph over graphql-ws. Traffic to 127.0.0.1 only,
// bounded in count and time.
import http from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeSupergraph } from '../packages/testkit/src/compose.js';
import { PRODUCTS_SDL, TICKER_SDL } from './lib/ticker-schema.js';
import { residentMiB } from './lib/memory.js';
import { startChild, type Child } from './lib/processes.js';
import { percentile, table } from './lib/stats.js';

const SIZES = [1, 100, 1000];
/** Ticks published per second at each size: deliveries grow with subscribers, up to 10,000/s. */
const RATE: Record<number, number> = { 1: 400, 100: 50, 1000: 10 };
const PUBLISH_MS = Number(process.env.BENCH_SUBS_SECONDS ?? 5) * 1000;
const PASS_THROUGH = 'subscription { ticks { n sentAt } }';
const JOINED = 'subscription { ticks { n sentAt product { name } } }';

const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });

interface Stream {
  close(): void;
}

/** One SSE subscription read as curl would; `onEvent` gets each `next` payload's data. */
function openStream(
  url: string,
  query: string,
  onEvent: (payload: { data?: Record<string, unknown> | null; errors?: { message: string }[] }) => void,
): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`${url} answered ${res.statusCode}`));
        res.resume();
        return;
      }
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let at: number;
        while ((at = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          if (!block.includes('event: next')) continue;
          const line = block.split('\n').find((l) => l.startsWith('data:'));
          if (line) onEvent(JSON.parse(line.slice(5)) as Parameters<typeof onEvent>[0]);
        }
      });
      res.on('error', () => undefined);
      resolve({ close: () => req.destroy() });
    });
    req.end(JSON.stringify({ query }));
  });
}

function ask<T>(child: Child, message: object, key: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (reply: Record<string, unknown>) => {
      if (!(key in reply)) return;
      child.process.off('message', onMessage);
      resolve(reply[key] as T);
    };
    child.process.on('message', onMessage);
    child.process.send(message);
  });
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Target {
  name: string;
  url: string;
  /** The process whose memory and CPU are measured. */
  process: Child;
  query: string;
}

interface Row {
  target: string;
  subscribers: number;
  delivered: number;
  expected: number;
  perSecond: number;
  p50: number;
  p99: number;
  kibPerSubscription: number;
  cpuMsPer1k: number;
  /** Events that came as errors, and the first one's message. */
  errors: number;
  firstError?: string;
}

async function measure(target: Target, ticker: Child, size: number): Promise<Row> {
  const latencies: number[] = [];
  const errors: string[] = [];
  const streams: Stream[] = [];
  const before = await residentMiB(target.process.process.pid!);
  for (let i = 0; i < size; i += 50) {
    const batch = Math.min(50, size - i);
    streams.push(
      ...(await Promise.all(
        Array.from({ length: batch }, () =>
          openStream(target.url, target.query, (payload) => {
            const tick = payload.data?.ticks as { sentAt: number } | undefined;
            if (tick) latencies.push(performance.timeOrigin + performance.now() - tick.sentAt);
            else errors.push(payload.errors?.[0]?.message ?? JSON.stringify(payload));
          }),
        ),
      )),
    );
  }
  await until(async () => (await ask<number>(ticker, { active: true }, 'active')) >= size, `${size} subscriptions`);
  await new Promise((r) => setTimeout(r, 300));
  const after = await residentMiB(target.process.process.pid!);
  const rate = RATE[size]!;
  const cpuBefore = await target.process.cpuMs();
  const started = performance.now();
  let published = 0;
  // Ticks in batches every 20 ms, at the size's rate, for PUBLISH_MS.
  while (performance.now() - started < PUBLISH_MS) {
    const due = Math.floor(((performance.now() - started) / 1000) * rate) - published;
    if (due > 0) {
      ticker.process.send({ tick: due });
      published += due;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const expected = published * size;
  const deadline = performance.now() + 3000;
  while (latencies.length < expected && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const seconds = (performance.now() - started) / 1000;
  const cpu = (await target.process.cpuMs()) - cpuBefore;
  for (const stream of streams) stream.close();
  await until(async () => (await ask<number>(ticker, { active: true }, 'active')) === 0, 'subscriptions closed');
  latencies.sort((a, b) => a - b);
  return {
    target: target.name,
    subscribers: size,
    delivered: latencies.length,
    expected,
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    kibPerSubscription: ((after.rss - before.rss) * 1024) / size,
    cpuMsPer1k: (cpu / Math.max(1, latencies.length)) * 1000,
    errors: errors.length,
    ...(errors[0] ? { firstError: errors[0] } : {}),
  };
}

export async function runSubscriptionsBench(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'subscriptions-bench-'));
  const children: Child[] = [];
  try {
    const ticker = await startChild(new URL('./lib/ticker-child.ts', import.meta.url), ['ticker']);
    children.push(ticker);
    const products = await startChild(new URL('./lib/ticker-child.ts', import.meta.url), ['products']);
    children.push(products);
    const supergraphPath = join(dir, 'supergraph.graphql');
    await writeFile(
      supergraphPath,
      composeSupergraph([
        { name: 'ticker', url: ticker.url, typeDefs: TICKER_SDL },
        { name: 'products', url: products.url, typeDefs: PRODUCTS_SDL },
      ]),
    );
    const env = { SUPERGRAPH_PATH: supergraphPath };
    const router = await startChild(new URL('./lib/gateway-child.ts', import.meta.url), [], {
      ...env,
      // No token in this bench: every subscriber is anonymous, one "token" for the per-token limit.
      SUBSCRIPTIONS_PER_TOKEN: '5000',
      SUBSCRIPTION_POLICY_WATCH: 'false',
      SUBSCRIPTION_RECHECK_MS: '0',
      // Hive Gateway holds any backlog; the router ends a subscription past its bound (100 by
      // default): 1,000 here, so that both are measured delivering rather than refusing.
      SUBSCRIPTION_BUFFER_EVENTS: '1000',
    });
    children.push(router);
    const hive = await startChild(new URL('./lib/subscriptions-hive.mjs', import.meta.url), [], env);
    children.push(hive);

    const targets: Target[] = [
      { name: 'subgraph directly', url: ticker.url, process: ticker, query: PASS_THROUGH },
      { name: 'router', url: router.url, process: router, query: PASS_THROUGH },
      { name: 'Hive Gateway', url: hive.url, process: hive, query: PASS_THROUGH },
      { name: 'router, + product name', url: router.url, process: router, query: JOINED },
      { name: 'Hive Gateway, + product name', url: hive.url, process: hive, query: JOINED },
    ];
    // Warm-up: each target's first event (connections, plans, shapers) is not measured.
    for (const target of targets) {
      const stream = await openStream(target.url, target.query, () => undefined);
      await until(async () => (await ask<number>(ticker, { active: true }, 'active')) >= 1, 'a warm-up subscription');
      ticker.process.send({ tick: 5 });
      await new Promise((r) => setTimeout(r, 500));
      stream.close();
      await until(async () => (await ask<number>(ticker, { active: true }, 'active')) === 0, 'warm-up closed');
    }
    const rows: Row[] = [];
    for (const size of SIZES) for (const target of targets) rows.push(await measure(target, ticker, size));
    const count = (n: number) => n.toLocaleString('en-US');

    const find = (name: string, size: number) => rows.find((r) => r.target === name && r.subscribers === size)!;
    const ratios = SIZES.map((size) => {
      const direct = find('subgraph directly', size);
      const ours = find('router', size);
      const hiveRow = find('Hive Gateway', size);
      return [
        count(size),
        ours.p99 / direct.p99,
        hiveRow.p99 / direct.p99,
        ours.cpuMsPer1k / hiveRow.cpuMsPer1k,
        find('router, + product name', size).cpuMsPer1k / find('Hive Gateway, + product name', size).cpuMsPer1k,
      ];
    });
    return [
      `Ticks published at ${SIZES.map((s) => `${RATE[s]}/s for ${s}`).join(', ')} subscriber(s), ${PUBLISH_MS / 1000} s each; every client reads SSE.`,
      'Latency: publish at the subgraph -> event parsed by the client (same machine clock). CPU: the measured process only',
      "(the subgraph's for 'directly'). Memory: resident set growth while the subscriptions are open, per subscription.",
      'Router: SUBSCRIPTION_BUFFER_EVENTS=1000; no token, so no Heimdall call at subscribe.',
      '',
      table(
        [
          'through',
          'subscribers',
          'delivered',
          'of',
          'errors',
          'events/s',
          'p50 ms',
          'p99 ms',
          'KiB/subscription',
          'CPU ms/1k events',
        ],
        rows.map((r) => [
          r.target,
          count(r.subscribers),
          count(r.delivered),
          count(r.expected),
          count(r.errors),
          r.perSecond,
          r.p50,
          r.p99,
          r.kibPerSubscription,
          r.cpuMsPer1k,
        ]),
      ),
      ...rows.filter((r) => r.firstError).map((r) => `${r.target}, ${r.subscribers}: first error "${r.firstError}"`),
      '',
      table(
        [
          'subscribers',
          'router p99 / direct',
          'Hive p99 / direct',
          'router CPU / Hive',
          'with join: router CPU / Hive',
        ],
        ratios,
      ),
    ].join('\n');
  } finally {
    agent.destroy();
    await Promise.all(children.map((c) => c.stop()));
    await rm(dir, { recursive: true, force: true });
  }
}
