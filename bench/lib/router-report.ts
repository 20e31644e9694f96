// The router bench's tables and ratios, from what it measured.
import { formatNumber, table } from './stats.js';
import { OPERATIONS, type OperationName } from './synthetic.js';
import type { LoadResult } from './router-traffic.js';

export type Mode = 'identical' | 'distinct';
export const MODE_TITLES: Record<Mode, string> = {
  identical: 'identical: every request the same document, variables and token (fetches in flight can be shared)',
  distinct: 'distinct (realistic): every request its own variables and token; nothing in flight can be shared',
};

export interface Slice extends LoadResult {
  cpuMs: number;
  subgraphCpuMs: number;
}

export interface Measure {
  rps: number;
  p50: number;
  p99: number;
  failed: number;
  /** CPU time of the gateway process per request, in ms. */
  cpuPerRequest: number;
  /** CPU time of the three subgraph processes per request, in ms. */
  subgraphCpuPerRequest: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export function summarize(slices: Slice[]): Measure {
  const requests = slices.reduce((n, s) => n + s.requests, 0);
  return {
    rps: requests / slices.reduce((n, s) => n + s.seconds, 0),
    p50: median(slices.map((s) => s.p50)),
    p99: median(slices.map((s) => s.p99)),
    failed: slices.reduce((n, s) => n + s.failed, 0),
    cpuPerRequest: slices.reduce((n, s) => n + s.cpuMs, 0) / Math.max(1, requests),
    subgraphCpuPerRequest: slices.reduce((n, s) => n + s.subgraphCpuMs, 0) / Math.max(1, requests),
  };
}

export interface Gateway {
  kind: string;
  label: string;
}

const OURS = [
  { kind: 'router', label: 'ours' },
  { kind: 'router-no-dedup', label: 'ours without dedup' },
];
const OTHERS = [
  { kind: 'apollo-gateway', label: 'stock' },
  { kind: 'hive', label: 'Hive Gateway' },
  { kind: 'hive-router', label: 'Hive Router' },
];

/** One table per mode (requests/s, latency, CPU per request), then each mode's ratios of ours to the others. */
export function routerReport(
  modes: Mode[],
  gateways: Gateway[],
  get: (mode: Mode, kind: string, op: OperationName) => Measure,
): string {
  const ops = Object.keys(OPERATIONS) as OperationName[];
  const out: string[] = [];
  for (const mode of modes) {
    const rows = ops.flatMap((op) =>
      gateways.map((g) => {
        const m = get(mode, g.kind, op);
        return [OPERATIONS[op].label, g.label, m.rps, m.p50, m.p99, m.cpuPerRequest, m.subgraphCpuPerRequest, m.failed];
      }),
    );
    out.push('', `### ${MODE_TITLES[mode]}`);
    out.push(
      table(
        [
          'operation',
          'gateway',
          'requests/s',
          'p50 ms',
          'p99 ms',
          'gateway CPU ms/req',
          'subgraphs CPU ms/req',
          'failed',
        ],
        rows,
      ),
    );
  }
  out.push('', 'requests/s of ours over the others (and gateway CPU per request, ours over theirs):');
  const present = OTHERS.filter((o) => gateways.some((g) => g.kind === o.kind));
  for (const mode of modes) {
    for (const op of ops) {
      for (const ours of OURS) {
        const m = get(mode, ours.kind, op);
        const ratios = present.map((o) => {
          const theirs = get(mode, o.kind, op);
          return `/${o.label} ${formatNumber(m.rps / theirs.rps)}x (CPU ${formatNumber(m.cpuPerRequest / theirs.cpuPerRequest)}x)`;
        });
        out.push(`${mode}, ${OPERATIONS[op].label}, ${ours.label}: ${ratios.join(', ')}`);
      }
    }
  }
  if (modes.length === 2) {
    out.push('', 'requests/s distinct over identical (what sharing in flight was worth):');
    for (const op of ops) {
      const each = gateways.map(
        (g) => `${g.label} ${formatNumber(get('distinct', g.kind, op).rps / get('identical', g.kind, op).rps)}x`,
      );
      out.push(`${OPERATIONS[op].label}: ${each.join(', ')}`);
    }
  }
  return out.join('\n');
}
