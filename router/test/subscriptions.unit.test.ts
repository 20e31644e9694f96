import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  CloseCodes,
  connectionCloseCode,
  slowConsumer,
  subgraphGone,
  tokenExpired,
} from '../src/subscriptions/ending.js';
import { httpTransportOf, passesCsrfPrevention } from '../src/subscriptions/http-request.js';
import { EventQueue } from '../src/subscriptions/queue.js';
import { eventCursor } from '../src/subscriptions/resolve-event.js';
import { subscriptionSettingsFromEnv } from '../src/subscriptions/settings.js';
import { webSocketUrl } from '../src/subscriptions/upstream.js';

describe('EventQueue', () => {
  it('holds at most its bound and refuses one more', () => {
    const queue = new EventQueue<number>(2, () => undefined);
    expect([queue.push(1), queue.push(2), queue.push(3)]).toEqual([true, true, false]);
    expect(queue.size).toBe(2);
  });

  it('hands an event straight to a waiting reader, in order', async () => {
    const queue = new EventQueue<number>(1, () => undefined);
    const first = queue.next();
    queue.push(1);
    queue.push(2);
    expect(await first).toEqual({ value: 1, done: false });
    expect(await queue.next()).toEqual({ value: 2, done: false });
  });

  it('ends after what is queued; fails at once, dropping what is queued', async () => {
    const ended = new EventQueue<number>(5, () => undefined);
    ended.push(1);
    ended.end();
    expect(await ended.next()).toEqual({ value: 1, done: false });
    expect(await ended.next()).toEqual({ value: undefined, done: true });

    const failed = new EventQueue<number>(5, () => undefined);
    failed.push(1);
    failed.fail(tokenExpired());
    await expect(failed.next()).rejects.toThrow('The token expired.');
  });

  it('releases its source once, when the reader returns while waiting', async () => {
    let closed = 0;
    const queue = new EventQueue<number>(5, () => closed++);
    const waiting = queue.next();
    await queue.return();
    expect(await waiting).toEqual({ value: undefined, done: true });
    await queue.return();
    expect(closed).toBe(1);
    expect(queue.push(1)).toBe(true); // ignored after the end, never throws
    expect(queue.size).toBe(0);
  });
});

describe('HTTP subscription transports', () => {
  it('tells SSE and multipart subscriptions from everything else by Accept', () => {
    expect(httpTransportOf('text/event-stream')).toBe('sse');
    expect(httpTransportOf('application/json, text/event-stream;q=0.9')).toBe('sse');
    expect(httpTransportOf('multipart/mixed;boundary="graphql";subscriptionSpec=1.0,application/json')).toBe(
      'multipart',
    );
    expect(httpTransportOf('multipart/mixed;subscriptionSpec="1.0"')).toBe('multipart');
    expect(httpTransportOf('multipart/mixed;deferSpec=20220824,application/json')).toBeUndefined();
    expect(httpTransportOf('application/json')).toBeUndefined();
    expect(httpTransportOf(undefined)).toBeUndefined();
  });

  it("applies Apollo Server's CSRF rule: a simple request needs a preflight header", () => {
    const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
    expect(passesCsrfPrevention(req({ 'content-type': 'application/json' }))).toBe(true);
    expect(passesCsrfPrevention(req({ 'content-type': 'text/plain' }))).toBe(false);
    expect(passesCsrfPrevention(req({}))).toBe(false);
    expect(passesCsrfPrevention(req({ 'apollo-require-preflight': 'true' }))).toBe(true);
    expect(passesCsrfPrevention(req({ 'content-type': 'multipart/form-data; boundary=x' }))).toBe(false);
  });
});

describe('subscription endings', () => {
  it('close the connection only for what is the connection’s (token, pace)', () => {
    expect(connectionCloseCode(tokenExpired())).toBe(CloseCodes.Unauthorized);
    expect(connectionCloseCode(slowConsumer(10))).toBe(CloseCodes.SlowConsumer);
    expect(connectionCloseCode(subgraphGone('caretaker', 'closed', 'c1'))).toBeUndefined();
    expect(subgraphGone('caretaker', 'closed', 'c1').extensions).toMatchObject({ retryable: true, after: 'c1' });
  });

  it("read an event's cursor for its id, when the operation selects it", () => {
    expect(eventCursor({ data: { podEvents: { cursor: 'abc' } } }, 'podEvents')).toBe('abc');
    expect(eventCursor({ data: { podEvents: { name: 'x' } } }, 'podEvents')).toBeUndefined();
    expect(eventCursor({ data: { podEvents: { cursor: 'x'.repeat(600) } } }, 'podEvents')).toBeUndefined();
  });

  it('subscribe to a subgraph at the WebSocket URL of its /graphql', () => {
    expect(webSocketUrl('http://127.0.0.1:4005/graphql')).toBe('ws://127.0.0.1:4005/graphql');
    expect(webSocketUrl('https://caretaker.svc/graphql')).toBe('wss://caretaker.svc/graphql');
  });
});

describe('subscription settings', () => {
  it('have defaults and refuse values that do not parse, naming the variable', () => {
    const defaults = subscriptionSettingsFromEnv({});
    expect(defaults).toMatchObject({ perConnection: 50, perToken: 100, initTimeoutMs: 10_000, policyWatch: true });
    expect(subscriptionSettingsFromEnv({ SUBSCRIPTION_BUFFER_EVENTS: '8' }).bufferEvents).toBe(8);
    expect(() => subscriptionSettingsFromEnv({ SUBSCRIPTIONS_PER_TOKEN: '1o' })).toThrow(/SUBSCRIPTIONS_PER_TOKEN/);
    expect(() => subscriptionSettingsFromEnv({ SUBSCRIPTION_BUFFER_EVENTS: '0' })).toThrow(/from 1/);
    expect(() => subscriptionSettingsFromEnv({ SUBSCRIPTION_POLICY_WATCH: 'yes' })).toThrow(/true or false/);
  });
});
