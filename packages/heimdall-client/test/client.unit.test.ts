import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeimdallClient } from '../src/index.js';

/**
 * A stand-in for Heimdall over real HTTP, for answers the real one cannot be made to give on
 * demand: it refuses a whole batch naming `inputs[i]` for paths under /refused (as Heimdall does
 * for a check it finds bad), and fails with an internal error while `failing` is set.
 */
let calls: { path: string }[][] = [];
let failing = false;
let server: http.Server;
let url: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const inputs = (JSON.parse(body) as { variables: { inputs: { object: { path: string } }[] } }).variables.inputs;
      calls.push(inputs.map((i) => ({ path: i.object.path })));
      const bad = inputs.findIndex((i) => i.object.path.startsWith('/refused'));
      const answer = failing
        ? {
            errors: [
              { message: 'connection to mongodb://10.0.0.7:27017 lost', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
            ],
          }
        : bad >= 0
          ? {
              errors: [
                { message: 'Refused.', extensions: { code: 'BAD_USER_INPUT', field: `inputs[${bad}].object.path` } },
              ],
            }
          : {
              data: {
                decideBatch: inputs.map((i) => ({
                  allowed: true,
                  policies: ['p'],
                  reason: `allowed ${i.object.path}`,
                })),
              },
            };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});

afterAll(() => new Promise((r) => server.close(r)));

describe('HeimdallSession batches', () => {
  it('fails only the check Heimdall refuses and asks again for the others of the batch', async () => {
    calls = [];
    const session = new HeimdallClient({ url, log: () => undefined }).session('token');
    const results = await Promise.allSettled(
      ['/a', '/refused/x', '/b', '/refused/y'].map((path) => session.decide('read', { path })),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    expect(results[0]).toMatchObject({ value: { reason: 'allowed /a' } });
    expect(results[2]).toMatchObject({ value: { reason: 'allowed /b' } });
    expect(results[1]).toMatchObject({ reason: { extensions: { code: 'BAD_USER_INPUT' } } });
    expect(calls.map((c) => c.map((i) => i.path))).toEqual([
      ['/a', '/refused/x', '/b', '/refused/y'],
      ['/a', '/b', '/refused/y'],
      ['/a', '/b'],
    ]);
  });

  it('never sends a check it knows Heimdall refuses', async () => {
    calls = [];
    const session = new HeimdallClient({ url, log: () => undefined }).session('token');
    const [good, bad, empty] = await Promise.allSettled([
      session.decide('read', { path: '/a' }),
      session.decide('fly', { path: '/a' }),
      session.decide('read', {}),
    ]);
    expect(good.status).toBe('fulfilled');
    expect(bad).toMatchObject({
      status: 'rejected',
      reason: { message: expect.stringMatching(/Unknown action "fly"/) },
    });
    expect(empty).toMatchObject({
      status: 'rejected',
      reason: { extensions: { code: 'BAD_USER_INPUT', field: 'object' } },
    });
    expect(calls).toEqual([[{ path: '/a' }]]);
  });

  it("hides Heimdall's internal failure from the caller, logs it, and does not cache it", async () => {
    calls = [];
    failing = true;
    const logged: Record<string, unknown>[] = [];
    const session = new HeimdallClient({ url, log: (details) => logged.push(details) }).session('token', 'req-7');
    try {
      const error = await session.decide('read', { path: '/a' }).then(
        () => null,
        (e: unknown) => e as { message: string; extensions: unknown },
      );
      expect(error).toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' } });
      expect(JSON.stringify([error?.message, error?.extensions])).not.toContain('10.0.0.7');
      expect(logged).toEqual([
        expect.objectContaining({ requestId: 'req-7', message: expect.stringContaining('10.0.0.7') }),
      ]);
    } finally {
      failing = false;
    }
    expect(await session.decide('read', { path: '/a' })).toMatchObject({ allowed: true });
    expect(calls).toHaveLength(2);
  });
});
