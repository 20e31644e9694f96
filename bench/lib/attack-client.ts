// The attack bench's clients of the router: legitimate load (autocannon), single requests that
// never wait for a blocked router forever, and the attacker child driven for one slice.
import autocannon from 'autocannon';
import type { AttackReport } from './attacker-child.js';
import type { Child } from './processes.js';

/** How long one request sent alone may take: a router blocked on a document shows as no answer. */
const PROBE_TIMEOUT_MS = 10_000;

export interface Answer {
  /** 0: no answer (timeout, connection refused or reset). */
  status: number;
  /** The first error's `extensions.code`, or what went wrong when there was no answer. */
  code: string;
  ms: number;
  bytes: number;
  data?: unknown;
}

export interface Load {
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
  failed: number;
}

export function load(url: string, query: string, token: string, seconds: number, connections: number): Promise<Load> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        method: 'POST',
        connections,
        duration: seconds,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query }),
      },
      (error, result) => {
        if (error) return reject(error);
        resolve({
          requests: result.requests.total,
          seconds: result.duration,
          p50: result.latency.p50,
          p99: result.latency.p99,
          failed: result.non2xx + result.errors + result.timeouts,
        });
      },
    );
  });
}

/** One POST; `token` absent: anonymous. Never throws: no answer is an answer with status 0. */
export async function post(url: string, body: string, token?: string): Promise<Answer> {
  const started = performance.now();
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body,
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    const text = await res.text();
    let answer: { data?: unknown; errors?: { extensions?: { code?: string } }[] } = {};
    try {
      answer = JSON.parse(text) as typeof answer;
    } catch {
      answer = { errors: [{ extensions: { code: 'not JSON' } }] };
    }
    const code = answer.errors?.[0]?.extensions?.code ?? '';
    return {
      status: res.status,
      code,
      ms: performance.now() - started,
      bytes: Buffer.byteLength(text),
      data: answer.data,
    };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    return { status: 0, code: e.cause?.code ?? e.name, ms: performance.now() - started, bytes: 0 };
  }
}

/** CPU ms the child has used, or NaN when it cannot say within 2 s (blocked or gone). */
export const cpuOf = (child: Child): Promise<number> =>
  Promise.race([child.cpuMs(), new Promise<number>((resolve) => setTimeout(() => resolve(NaN), 2000).unref())]);

export const isDead = (child: Child) => child.process.exitCode !== null || child.process.signalCode !== null;

/** Runs the attacker for as long as `during` takes, and returns what it saw. */
export async function underAttack<T>(
  attacker: Child,
  rps: number,
  maxSeconds: number,
  during: () => Promise<T>,
): Promise<[T, AttackReport]> {
  const report = new Promise<AttackReport>((resolve) => {
    const onMessage = (message: { attacked?: AttackReport }) => {
      if (!message?.attacked) return;
      attacker.process.off('message', onMessage);
      resolve(message.attacked);
    };
    attacker.process.on('message', onMessage);
  });
  attacker.process.send({ attack: { rps, maxSeconds } });
  // A moment for the first hostile requests to be in the router before measuring.
  await new Promise((r) => setTimeout(r, 250));
  let result: T;
  try {
    result = await during();
  } finally {
    attacker.process.send('stop');
  }
  return [result, await report];
}
