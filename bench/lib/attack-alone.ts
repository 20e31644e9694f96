// Hostile documents sent alone, one at a time, before any load: issue 12's "done when" line for
// the 30-level chain, and per shape what the router answers and what refusing it costs.
import { cpuOf, isDead, post } from './attack-client.js';
import { HOSTILE_SHAPES, fragmentChain } from './hostile-documents.js';
import { residentMiB, watchPeak } from './memory.js';
import type { Child } from './processes.js';
import { formatNumber, percentile, table } from './stats.js';

const SHAPE_REPEATS = 20;
const CHAIN_REPEATS = 10;

const mib = (n: number) => `${n.toFixed(1)} MiB`;
const signed = (n: number) => `${n >= 0 ? '+' : ''}${mib(n)}`;
const count = (n: number) => n.toLocaleString('en-US');
const rss = (pid: number) =>
  residentMiB(pid).then(
    (m) => m.rss,
    () => NaN,
  );

export interface AloneResult {
  text: string;
  warnings: string[];
  /** False when the router stopped answering (or died): the bench then measures nothing more. */
  answering: boolean;
}

const notRefused = (status: number) => !(status >= 400 && status < 500);

/**
 * The 30-level chain, anonymous, on a router that has seen no attack yet (its first answer runs
 * some code for the first time), then again to see it settled; RSS from the kernel around it.
 */
async function chainAlone(router: Child): Promise<AloneResult> {
  const pid = router.process.pid!;
  const body = JSON.stringify({ query: fragmentChain(30) });
  const before = await rss(pid);
  const peak = await watchPeak(pid);
  const first = await post(router.url, body);
  const peakMiB = await peak.stop();
  const after = await rss(pid);
  const head = `30-level fragment chain (${count(body.length)} bytes), anonymous, alone:`;
  if (first.status === 0 || isDead(router)) {
    const text = `${head} no answer within ${formatNumber(first.ms)} ms (${first.code}); router RSS ${mib(before)} before, ${mib(after)} after`;
    return {
      text,
      warnings: [`!!! WARNING: the router did not answer the 30-level fragment chain (${first.code})`],
      answering: false,
    };
  }
  const again: number[] = [];
  for (let i = 0; i < CHAIN_REPEATS; i++) again.push((await post(router.url, body)).ms);
  const settled = await rss(pid);
  return {
    text:
      `${head} ${first.status} ${first.code} in ${formatNumber(first.ms)} ms (${CHAIN_REPEATS} more: median ` +
      `${formatNumber(
        percentile(
          again.sort((a, b) => a - b),
          50,
        ),
      )} ms); router RSS ${mib(before)} before, ${mib(after)} after ` +
      `(${signed(after - before)}; peak while answering ${mib(peakMiB)}), ${mib(settled)} after ${CHAIN_REPEATS} more (${signed(settled - before)})`,
    warnings: notRefused(first.status)
      ? [`!!! WARNING: the 30-level fragment chain got ${first.status} ${first.code}, not a 4xx`]
      : [],
    answering: true,
  };
}

/** Each shape once, then SHAPE_REPEATS times in a row: its answer, and the router's CPU per refusal. */
async function shapesAlone(router: Child): Promise<AloneResult> {
  const rows: (string | number)[][] = [];
  const warnings: string[] = [];
  let answering = true;
  for (const shape of HOSTILE_SHAPES) {
    const first = await post(router.url, shape.body);
    if (first.status === 0 || isDead(router)) {
      warnings.push(`!!! WARNING: "${shape.name}" sent alone got no answer (${first.code}); the rest is not measured`);
      rows.push([shape.name, count(shape.body.length), `no answer: ${first.code}`, '', '', '', '', shape.expected]);
      answering = false;
      break;
    }
    if (notRefused(first.status))
      warnings.push(`!!! WARNING: "${shape.name}" sent alone got ${first.status} ${first.code}, not a 4xx`);
    const [cpuBefore, started] = [await cpuOf(router), performance.now()];
    for (let i = 0; i < SHAPE_REPEATS; i++) await post(router.url, shape.body);
    const [cpuMs, ms] = [
      ((await cpuOf(router)) - cpuBefore) / SHAPE_REPEATS,
      (performance.now() - started) / SHAPE_REPEATS,
    ];
    rows.push([
      shape.name,
      count(shape.body.length),
      `${first.status} ${first.code}`,
      count(first.bytes),
      first.ms,
      ms,
      cpuMs,
      shape.expected,
    ]);
  }
  const header = [
    'shape',
    'bytes',
    'answer',
    'answer bytes',
    'ms (first)',
    `ms/req (${SHAPE_REPEATS})`,
    'router CPU ms/req',
    'expected',
  ];
  return {
    text: [
      `Hostile shapes, each sent alone: once, then ${SHAPE_REPEATS} times one after the other:`,
      table(header, rows),
    ].join('\n'),
    warnings,
    answering,
  };
}

export async function hostileAlone(router: Child): Promise<AloneResult> {
  const chain = await chainAlone(router);
  if (!chain.answering) return chain;
  const shapes = await shapesAlone(router);
  return {
    text: `${chain.text}\n\n${shapes.text}`,
    warnings: [...chain.warnings, ...shapes.warnings],
    answering: shapes.answering,
  };
}
