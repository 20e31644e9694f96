// The attacker of the attack bench, in its own process so that its clock and the legitimate
// load's do not share an event loop: `attacker-child.ts <router url> <connections>`.
// On `{ attack: { rps, maxSeconds } }` it sends the hostile shapes anonymously, round-robin, at a
// fixed rate (open loop: a slow answer does not slow the attacker down, as a real one would not),
// until `'stop'` or maxSeconds, then replies `{ attacked: AttackReport }`. Loopback only, bounded
// in count (rps x maxSeconds), in time (each request at most REQUEST_TIMEOUT_MS) and in flight.
import http from 'node:http';
import { attackShapes } from './hostile-documents.js';

export interface AttackReport {
  seconds: number;
  /** CPU time of the attacker process while it attacked (ms): on a small machine it competes with the router. */
  cpuMs: number;
  sent: number;
  /** Sends skipped because MAX_IN_FLIGHT requests were already waiting: the router fell behind. */
  skipped: number;
  /** Latency of every answered or failed request, from the moment it was due (ms). */
  latencies: number[];
  /** Per shape: `"<status> <code>"` (status 0: no answer, code is the error) -> count. */
  answers: Record<string, Record<string, number>>;
}

const REQUEST_TIMEOUT_MS = 10_000;
const MAX_IN_FLIGHT = 1000;

const target = new URL(process.argv[2] ?? '');
if (!['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname))
  throw new Error(`the attacker stays on loopback, not ${target.host}`);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(process.argv[3] ?? 8) });
const shapes = attackShapes().map((s) => ({ name: s.name, body: Buffer.from(s.body) }));

/** The first error code of a GraphQL answer, or a word for what came instead. */
function codeOf(text: string): string {
  try {
    const parsed = JSON.parse(text) as { errors?: { extensions?: { code?: string } }[]; data?: unknown };
    return parsed.errors?.[0]?.extensions?.code ?? (parsed.data ? 'data' : 'no code');
  } catch {
    return 'not JSON';
  }
}

function send(body: Buffer, dueAt: number): Promise<{ answer: string; ms: number }> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (answer: string) => {
      if (settled) return;
      settled = true;
      resolve({ answer, ms: performance.now() - dueAt });
    };
    const req = http.request(
      target,
      {
        method: 'POST',
        agent,
        timeout: REQUEST_TIMEOUT_MS,
        headers: { 'content-type': 'application/json', 'content-length': body.length },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => finish(`${res.statusCode} ${codeOf(Buffer.concat(chunks).toString('utf8'))}`));
        res.on('error', (error) => finish(`0 ${error.message}`));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error: NodeJS.ErrnoException) => finish(`0 ${error.code ?? error.message}`));
    req.end(body);
  });
}

let stopped = false;

async function attack(rps: number, maxSeconds: number): Promise<AttackReport> {
  stopped = false;
  const cpuBefore = process.cpuUsage();
  const report: AttackReport = { seconds: 0, cpuMs: 0, sent: 0, skipped: 0, latencies: [], answers: {} };
  const interval = 1000 / rps;
  const started = performance.now();
  const count = Math.floor(rps * maxSeconds);
  const pending: Promise<void>[] = [];
  let inFlight = 0;
  for (let i = 0; i < count && !stopped; i++) {
    const dueAt = started + i * interval;
    const wait = dueAt - performance.now();
    // Behind schedule (timers are coarse): send at once, so the rate holds on average.
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (stopped) break;
    if (inFlight >= MAX_IN_FLIGHT) {
      report.skipped++;
      continue;
    }
    const shape = shapes[i % shapes.length]!;
    inFlight++;
    report.sent++;
    pending.push(
      send(shape.body, dueAt).then(({ answer, ms }) => {
        inFlight--;
        report.latencies.push(ms);
        const answers = (report.answers[shape.name] ??= {});
        answers[answer] = (answers[answer] ?? 0) + 1;
      }),
    );
  }
  report.seconds = (performance.now() - started) / 1000;
  await Promise.all(pending);
  const cpu = process.cpuUsage(cpuBefore);
  report.cpuMs = (cpu.user + cpu.system) / 1000;
  return report;
}

process.on('message', (message: 'stop' | { attack?: { rps: number; maxSeconds: number } }) => {
  if (message === 'stop') stopped = true;
  else if (message?.attack)
    void attack(message.attack.rps, message.attack.maxSeconds).then((attacked) => process.send?.({ attacked }));
});
// Dies with the bench, never outlives it.
process.on('disconnect', () => process.exit(0));
process.send?.({ ready: target.href });
