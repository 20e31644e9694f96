import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, graphql, startTestHeimdall, tokenFor, type TestHeimdall } from '@dataos/testkit';

const DECIDE = 'query ($p: String!) { decide(input: { action: "read", object: { path: $p } }) { allowed } }';
const STATUS = '{ decisionLogExport { sink exported dropped queued failedBatches } }';

let alice: string;
let carol: string;
let dir: string;

beforeAll(async () => {
  [alice, carol] = await Promise.all([tokenFor('alice'), tokenFor('carol')]);
  dir = await mkdtemp(join(tmpdir(), 'heimdall-export-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const waitFor = async (check: () => Promise<boolean> | boolean, ms = 5000) => {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('decision log export to a file', () => {
  let running: TestHeimdall;
  const file = () => join(dir, 'decisions.jsonl');

  beforeAll(async () => {
    running = await startTestHeimdall({
      settings: {
        decisionExport: { target: `file:${file()}`, redact: ['subject', 'object.path'], batch: 100, queue: 100 },
      },
    });
  });
  afterAll(() => running.stop());

  it('writes each decision as a JSON line with the chosen fields redacted', async () => {
    await graphql(running.url, DECIDE, { token: alice, variables: { p: 'dataos://icebase:retail/secret-project' } });
    await waitFor(async () => (await readFile(file(), 'utf8').catch(() => '')).includes('"action":"read"'));
    const lines = (await readFile(file(), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const entry = lines.find((l) => l.action === 'read')!;
    expect(entry).toMatchObject({ subject: '[redacted]', object: { path: '[redacted]', tags: [] }, allowed: false });
    expect(entry.reason).toMatch(/^no policy allows read on /);
    expect(JSON.stringify(lines)).not.toContain('users:id:alice');
    const status = await graphql<{ decisionLogExport: Record<string, unknown> }>(running.url, STATUS, { token: carol });
    expect(status.data?.decisionLogExport).toMatchObject({ sink: `file:${file()}`, dropped: 0 });
    expect(status.data!.decisionLogExport.exported as number).toBeGreaterThanOrEqual(1);
    expect(errorCodes(await graphql(running.url, STATUS, { token: alice }))).toEqual(['FORBIDDEN']);
  });
});

describe('decision log export to a webhook', () => {
  let running: TestHeimdall;
  let server: http.Server;
  const received: Record<string, unknown>[][] = [];
  /** Answers 503 to the first `failures` POSTs, then 204. */
  let failures = 1;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (failures > 0) {
          failures--;
          res.writeHead(503).end();
          return;
        }
        received.push((JSON.parse(body) as { decisions: Record<string, unknown>[] }).decisions);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    running = await startTestHeimdall({
      settings: {
        decisionExport: { target: `http://127.0.0.1:${port}/hook`, redact: ['reason'], batch: 3, queue: 5 },
      },
    });
  });
  afterAll(async () => {
    await running.stop();
    await new Promise((r) => server.close(r));
  });

  it('POSTs batches, retries a 503, and counts what a full queue dropped', async () => {
    await Promise.all(
      Array.from({ length: 3 }, (_, i) =>
        graphql(running.url, DECIDE, { token: alice, variables: { p: `dataos://icebase:retail/t${i}` } }),
      ),
    );
    await waitFor(() => received.flat().length >= 3);
    expect(received[0]).toHaveLength(3);
    expect(received[0]![0]).toMatchObject({ subject: 'users:id:alice', action: 'read', reason: '[redacted]' });

    // One request of 40 distinct checks: the queue holds 5, the rest is dropped and counted.
    const inputs = Array.from({ length: 40 }, (_, i) => ({ action: 'read', object: { path: `/x/${i}` } }));
    await graphql(running.url, 'query ($i: [DecisionInput!]!) { decideBatch(inputs: $i) { allowed } }', {
      token: alice,
      variables: { i: inputs },
    });
    const status = async () =>
      (
        await graphql<{ decisionLogExport: { exported: number; dropped: number; queued: number } }>(
          running.url,
          STATUS,
          { token: carol },
        )
      ).data!.decisionLogExport;
    await waitFor(async () => (await status()).queued === 0 && (await status()).dropped > 0);
    const s = await status();
    expect(s.dropped).toBeGreaterThanOrEqual(30);
    expect(s.exported + s.dropped).toBeGreaterThanOrEqual(43);
  });
});
