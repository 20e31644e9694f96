// The attack bench's measurements, summed per operation and condition and printed as tables,
// ratios and the loud warnings (any attack request that got no 4xx, a router that died).
import type { Load } from './attack-client.js';
import type { AttackReport } from './attacker-child.js';
import { HOSTILE_SHAPES } from './hostile-documents.js';
import { formatNumber, percentile, table } from './stats.js';
import { OPERATIONS, type OperationName } from './synthetic.js';

export type Condition = 'alone' | 'attack';

/** One slice of legitimate load on the router, alone or while the attacker ran. */
export interface Slice extends Load {
  /** The router's peak RSS during the slice, in MiB. */
  peakMiB: number;
  /** CPU time of the router process during the legitimate load, in ms. */
  routerCpuMs: number;
  attack?: AttackReport;
}

interface Summary {
  rps: number;
  p99: number;
  peakMiB: number;
  /** Router CPU ms per second of load. */
  cpuPerSecond: number;
  /** Router CPU ms per legitimate request. */
  cpuPerRequest: number;
  /** Attack requests sent per second. */
  attackRate: number;
}

const count = (n: number) => n.toLocaleString('en-US');
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const sum = <T>(items: T[], of: (item: T) => number) => items.reduce((n, item) => n + of(item), 0);

/** The tables and ratios; `warnings` (the router died, a probe got no 4xx) come first among the bench's own. */
export function attackReport(slices: Map<string, Slice[]>, earlier: string[]): string {
  const rows: (string | number)[][] = [];
  const ratios: string[] = [];
  const answersByShape = new Map<string, Record<string, number>>();
  const warnings = [...earlier];
  for (const op of Object.keys(OPERATIONS) as OperationName[]) {
    const label = OPERATIONS[op].label;
    const summary = new Map<Condition, Summary>();
    for (const condition of ['alone', 'attack'] as const) {
      const taken = slices.get(`${op}/${condition}`) ?? [];
      if (!taken.length) continue;
      const [requests, seconds, cpuMs] = [
        sum(taken, (s) => s.requests),
        sum(taken, (s) => s.seconds),
        sum(taken, (s) => s.routerCpuMs),
      ];
      const reports = taken.flatMap((s) => (s.attack ? [s.attack] : []));
      const attackSeconds = sum(reports, (r) => r.seconds);
      const s: Summary = {
        rps: requests / seconds,
        // Latencies: the median over slices, as the router bench does (one noisy slice does not decide).
        p99: median(taken.map((t) => t.p99)),
        peakMiB: Math.max(...taken.map((t) => t.peakMiB)),
        cpuPerSecond: cpuMs / seconds,
        cpuPerRequest: cpuMs / Math.max(1, requests),
        attackRate: attackSeconds ? sum(reports, (r) => r.sent) / attackSeconds : 0,
      };
      summary.set(condition, s);
      let attackCells: (string | number)[] = ['', '', '', '', '', ''];
      if (reports.length) {
        const tally = { ok400: 0, other4xx: 0, not4xx: 0 };
        for (const report of reports) {
          for (const [shape, answers] of Object.entries(report.answers)) {
            const merged = answersByShape.get(shape) ?? {};
            for (const [answer, n] of Object.entries(answers)) {
              merged[answer] = (merged[answer] ?? 0) + n;
              const status = Number(answer.split(' ')[0]);
              if (status === 400) tally.ok400 += n;
              else if (status > 400 && status < 500) tally.other4xx += n;
              else {
                tally.not4xx += n;
                warnings.push(`!!! WARNING: ${label}: ${n} attack request(s) "${shape}" got "${answer}", not a 4xx`);
              }
            }
            answersByShape.set(shape, merged);
          }
        }
        const skipped = sum(reports, (r) => r.skipped);
        if (skipped)
          warnings.push(
            `!!! WARNING: ${label}: the attacker skipped ${skipped} sends: so many requests waited for the router that its in-flight bound was reached`,
          );
        const latencies = reports.flatMap((r) => r.latencies).sort((a, b) => a - b);
        const attackerCpu = (100 * sum(reports, (r) => r.cpuMs)) / (1000 * attackSeconds);
        const sent = `${count(sum(reports, (r) => r.sent))} (${formatNumber(s.attackRate)}/s)`;
        attackCells = [
          sent,
          count(tally.ok400),
          count(tally.other4xx),
          count(tally.not4xx),
          percentile(latencies, 99),
          attackerCpu,
        ];
      }
      const p50 = median(taken.map((t) => t.p50));
      const routerCpu = s.cpuPerSecond / 10; // ms per s -> % of one core
      rows.push([
        label,
        condition === 'alone' ? 'alone' : 'under attack',
        s.rps,
        p50,
        s.p99,
        count(sum(taken, (t) => t.failed)),
        routerCpu,
        s.peakMiB,
        ...attackCells,
      ]);
    }
    const [alone, attacked] = [summary.get('alone'), summary.get('attack')];
    if (alone && attacked) {
      // What the router spent beyond its legitimate requests (at their cost alone), per attack request.
      const perAttack = (attacked.cpuPerSecond - attacked.rps * alone.cpuPerRequest) / attacked.attackRate;
      ratios.push(
        `${label}: requests/s under attack / alone ${formatNumber(attacked.rps / alone.rps)}x, p99 ${formatNumber(attacked.p99 / alone.p99)}x, ` +
          `router peak RSS ${formatNumber(attacked.peakMiB / alone.peakMiB)}x; router CPU per attack request about ${formatNumber(perAttack)} ms`,
      );
    }
  }
  const answerRows = HOSTILE_SHAPES.map((shape) => [
    shape.name,
    Object.entries(answersByShape.get(shape.name) ?? {})
      .map(([answer, n]) => `${answer} x${n}`)
      .join(', ') || '(not sent)',
  ]);
  return [
    'Legitimate traffic (p50/p99: median over slices; router CPU: % of one core; router peak RSS: kernel VmHWM of the router process, highest slice) and the attacker (p99 over all its requests, from when each was due):',
    table(
      [
        'operation',
        'condition',
        'requests/s',
        'p50 ms',
        'p99 ms',
        'failed',
        'router CPU %',
        'router peak RSS MiB',
        'attack sent',
        '400',
        'other 4xx',
        'not 4xx',
        'attack p99 ms',
        'attacker CPU %',
      ],
      rows,
    ),
    '',
    ...ratios,
    '',
    'What the attacker got, per shape:',
    table(['shape', 'answers (status code x count)'], answerRows),
    '',
    ...(warnings.length ? warnings : ['Every attack request got a 4xx, and the router kept running.']),
  ].join('\n');
}
