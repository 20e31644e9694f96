import { pathToFileURL } from 'node:url';
import { buildEngine, buildLinearEngine } from '../subgraphs/heimdall/src/engine/engine.js';
import { generateCheck, generatePolicies, random } from '../subgraphs/heimdall/src/engine/generate.js';
import type { PolicyEngine } from '../subgraphs/heimdall/src/engine/types.js';
import { percentile, table } from './lib/stats.js';

type Decide = Pick<PolicyEngine, 'decide'>['decide'];

function measureSingles(decide: Decide, checks: ReturnType<typeof generateCheck>[], count: number) {
  const samples: number[] = [];
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const c = checks[i % checks.length]!;
    const t = performance.now();
    decide(c.subject, c.action, c.object);
    samples.push(performance.now() - t);
  }
  const seconds = (performance.now() - started) / 1000;
  samples.sort((a, b) => a - b);
  return { perSecond: count / seconds, p50Us: percentile(samples, 50) * 1000, p99Us: percentile(samples, 99) * 1000 };
}

function measureBatches(decide: Decide, checks: ReturnType<typeof generateCheck>[], batches: number) {
  const samples: number[] = [];
  const started = performance.now();
  for (let b = 0; b < batches; b++) {
    const t = performance.now();
    // One subject per batch, as a request asks for its own caller.
    const subject = checks[(b * 100) % checks.length]!.subject;
    for (let i = 0; i < 100; i++) {
      const c = checks[(b * 100 + i) % checks.length]!;
      decide(subject, c.action, c.object);
    }
    samples.push(performance.now() - t);
  }
  const seconds = (performance.now() - started) / 1000;
  samples.sort((a, b) => a - b);
  return { decisionsPerSecond: (batches * 100) / seconds, p99Us: percentile(samples, 99) * 1000 };
}

/** Heimdall's engine in process with 10,000 policies: the index against a scan of every policy. */
export async function runEngineBench(): Promise<string> {
  const policies = generatePolicies(10_000);
  const t = performance.now();
  const indexed = buildEngine(policies);
  const compileMs = performance.now() - t;
  const linear = buildLinearEngine(policies);
  const r = random(99);
  const checks = Array.from({ length: 5000 }, () => generateCheck(r));
  // Warm up both (JIT, subject memo).
  measureSingles(indexed.decide.bind(indexed), checks, 20_000);
  measureSingles(linear.decide.bind(linear), checks, 500);

  const si = measureSingles(indexed.decide.bind(indexed), checks, 100_000);
  const sl = measureSingles(linear.decide.bind(linear), checks, 3_000);
  const bi = measureBatches(indexed.decide.bind(indexed), checks, 2_000);
  const bl = measureBatches(linear.decide.bind(linear), checks, 40);
  return [
    `Heimdall engine in process (10,000 policies; index built in ${compileMs.toFixed(0)} ms)`,
    table(
      ['engine', 'single: decisions/s', 'p50 µs', 'p99 µs', 'batch of 100: decisions/s', 'p99 µs per batch'],
      [
        ['linear scan (baseline)', sl.perSecond, sl.p50Us, sl.p99Us, bl.decisionsPerSecond, bl.p99Us],
        ['indexed', si.perSecond, si.p50Us, si.p99Us, bi.decisionsPerSecond, bi.p99Us],
        [
          'ratio indexed / linear',
          si.perSecond / sl.perSecond,
          sl.p50Us / si.p50Us,
          sl.p99Us / si.p99Us,
          bi.decisionsPerSecond / bl.decisionsPerSecond,
          bl.p99Us / bi.p99Us,
        ],
      ],
    ),
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  console.log(await runEngineBench());
}
