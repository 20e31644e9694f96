// What the router bench sends: the same request every time, or (the realistic mode) request i
// with its own variables and its own caller's token, so no two requests in flight share a
// subgraph fetch or an authorization answer.
import autocannon from 'autocannon';
import { fetchDevToken } from '@dataos/devstack';

export type Traffic =
  | { mode: 'identical'; query: string; token: string }
  | { mode: 'distinct'; query: string; variables: (i: number) => object; tokens: readonly string[] };

export interface LoadResult {
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
  failed: number;
}

/**
 * Variable values cycle over this many (BENCH_VARIANTS): far more than the requests in flight,
 * so none is shared, and few enough that the subgraphs' memo of answers holds them all (they
 * then cost every gateway the same little, as in the identical mode).
 */
export const VARIANTS = Number(process.env.BENCH_VARIANTS ?? 500);

// One sequence for the whole run: every slice of every gateway goes on where the last stopped.
let sequence = 0;

/** Request `i` of a traffic: its body and headers. */
export function requestOf(traffic: Traffic, i: number): { body: string; headers: Record<string, string> } {
  const headers = (token: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${token}` });
  if (traffic.mode === 'identical')
    return { body: JSON.stringify({ query: traffic.query }), headers: headers(traffic.token) };
  return {
    body: JSON.stringify({ query: traffic.query, variables: traffic.variables(i % VARIANTS) }),
    headers: headers(traffic.tokens[i % traffic.tokens.length]!),
  };
}

export async function post(url: string, traffic: Traffic, i = 0): Promise<{ data?: unknown; errors?: unknown[] }> {
  const res = await fetch(url, { method: 'POST', ...requestOf(traffic, i) });
  return (await res.json()) as { data?: unknown; errors?: unknown[] };
}

/**
 * `connections` closed-loop clients for `seconds` (or for `amount` requests); autocannon builds
 * each distinct request as it goes.
 */
export function load(
  url: string,
  traffic: Traffic,
  seconds: number,
  connections: number,
  amount?: number,
): Promise<LoadResult> {
  const requests: autocannon.Request[] =
    traffic.mode === 'identical'
      ? [{ method: 'POST', ...requestOf(traffic, 0) }]
      : [{ method: 'POST', setupRequest: (req) => ({ ...req, ...requestOf(traffic, sequence++) }) }];
  return new Promise((resolve, reject) => {
    const until = amount ? { amount } : { duration: seconds };
    autocannon({ url, connections, ...until, requests }, (error, result) => {
      if (error) return reject(error);
      resolve({
        requests: result.requests.total,
        seconds: result.duration,
        p50: result.latency.p50,
        p99: result.latency.p99,
        failed: result.non2xx + result.errors + result.timeouts,
      });
    });
  });
}

/**
 * `count` distinct access tokens, all alice's (the one dev user the bench policy lets read
 * everything, so every gateway's answer stays the same): each has its own jti, so the router's
 * decision cache, keyed by the token's hash, sees `count` callers.
 */
export async function mintTokens(count: number): Promise<string[]> {
  const tokens = new Array<string>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(8, count) }, async () => {
      while (next < count) {
        const i = next++;
        tokens[i] = (await fetchDevToken('alice')).access_token;
      }
    }),
  );
  return tokens;
}
