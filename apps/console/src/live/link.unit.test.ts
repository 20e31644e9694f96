import { ApolloLink } from '@apollo/client/link';
import { gql } from '@apollo/client';
import type { Client, Sink } from 'graphql-ws';
import { describe, expect, it } from 'vitest';
import { ResumableSubscriptionLink } from './link.js';
import { cursorOf, endingOf, retryDelayMs, webSocketUrl } from './resume.js';

/** A graphql-ws client whose server the test plays: each subscribe is recorded with its sink. */
function scriptedClient() {
  const calls: { variables: Record<string, unknown>; sink: Sink; disposed: boolean }[] = [];
  const client = {
    subscribe: (payload: { variables?: Record<string, unknown> }, sink: Sink) => {
      const call = { variables: payload.variables ?? {}, sink, disposed: false };
      calls.push(call);
      return () => {
        call.disposed = true;
      };
    },
  } as unknown as Client;
  return { client, calls };
}

const QUERY = gql`
  subscription Changes($after: String) {
    podChanges(after: $after) {
      cursor
      type
    }
  }
`;

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

function run(link: ApolloLink, variables: Record<string, unknown> = {}) {
  const seen: unknown[] = [];
  const outcome: { error?: unknown; complete?: boolean } = {};
  const sub = ApolloLink.execute(link, { query: QUERY, variables }, { client: {} as never }).subscribe({
    next: (value) => seen.push(value.data),
    error: (error: unknown) => (outcome.error = error),
    complete: () => (outcome.complete = true),
  });
  return { seen, outcome, sub };
}

describe('ResumableSubscriptionLink', () => {
  it('resubscribes after a dropped socket from the cursor of the last event delivered', async () => {
    const { client, calls } = scriptedClient();
    const { seen, outcome } = run(new ResumableSubscriptionLink(client, { delay: () => 0 }));
    expect(calls).toHaveLength(1);
    expect(calls[0]!.variables.after).toBeUndefined();
    calls[0]!.sink.next({ data: { podChanges: { cursor: 'c1', type: 'ADDED' } } });
    calls[0]!.sink.next({ data: { podChanges: { cursor: 'c2', type: 'MODIFIED' } } });
    calls[0]!.sink.error({ code: 1006, reason: '' });
    await tick();
    expect(calls).toHaveLength(2);
    expect(calls[1]!.variables.after).toBe('c2');
    calls[1]!.sink.next({ data: { podChanges: { cursor: 'c3', type: 'DELETED' } } });
    expect(seen.map((d) => (d as { podChanges: { cursor: string } }).podChanges.cursor)).toEqual(['c1', 'c2', 'c3']);
    expect(outcome.error).toBeUndefined();
  });

  it('asks for a re-read when a subscription without a cursor subscribes again, and only then', async () => {
    const { client, calls } = scriptedClient();
    const gaps: string[] = [];
    const link = new ResumableSubscriptionLink(client, {
      delay: () => 0,
      onGap: (operation) => gaps.push(operation.operationName ?? ''),
    });
    const { seen } = run(link);
    calls[0]!.sink.error({ code: 1001, reason: 'going away' });
    await tick();
    expect(calls).toHaveLength(2);
    expect(calls[1]!.variables.after).toBeUndefined();
    expect(gaps).toEqual(['Changes']);
    calls[1]!.sink.next({ data: { podChanges: { cursor: 'c1', type: 'ADDED' } } });
    calls[1]!.sink.error({ code: 1006, reason: '' });
    await tick();
    expect(calls).toHaveLength(3);
    expect(calls[2]!.variables.after).toBe('c1');
    expect(gaps).toEqual(['Changes']);
    expect(seen).toHaveLength(1);
  });

  it('resumes when the router ends the run with a retryable error, without showing that error', async () => {
    const { client, calls } = scriptedClient();
    const { seen, outcome } = run(new ResumableSubscriptionLink(client, { delay: () => 0 }), { after: 'c0' });
    expect(calls[0]!.variables.after).toBe('c0');
    calls[0]!.sink.next({ data: { podChanges: { cursor: 'c5', type: 'ADDED' } } });
    calls[0]!.sink.next({
      errors: [{ message: 'subgraph gone', extensions: { code: 'SUBGRAPH_UNAVAILABLE', retryable: true } }],
    });
    calls[0]!.sink.complete();
    await tick();
    expect(calls).toHaveLength(2);
    expect(calls[1]!.variables.after).toBe('c5');
    expect(seen).toHaveLength(1);
    expect(outcome.complete).toBeUndefined();
  });

  it('gives up on a revoked access (4403) and says why', async () => {
    const { client, calls } = scriptedClient();
    const { outcome } = run(new ResumableSubscriptionLink(client, { delay: () => 0 }));
    calls[0]!.sink.error({ code: 4403, reason: 'Access revoked' });
    await tick();
    expect(calls).toHaveLength(1);
    expect(String((outcome.error as Error).message)).toContain('4403: Access revoked');
  });

  it('completes when the server completes normally, and disposes the run on unsubscribe', async () => {
    const { client, calls } = scriptedClient();
    const first = run(new ResumableSubscriptionLink(client, { delay: () => 0 }));
    calls[0]!.sink.complete();
    expect(first.outcome.complete).toBe(true);
    const second = run(new ResumableSubscriptionLink(client, { delay: () => 0 }));
    second.sub.unsubscribe();
    expect(calls[1]!.disposed).toBe(true);
  });
});

describe('resume rules', () => {
  it('finds the cursor of the root field', () => {
    expect(cursorOf({ policyChanges: { cursor: 'p9', sequence: 9 } })).toBe('p9');
    expect(cursorOf({ queryProgress: { phase: 'RUNNING' } })).toBeUndefined();
    expect(cursorOf(null)).toBeUndefined();
  });

  it('retries drops, restarts and expired tokens; not refusals', () => {
    expect(endingOf({ code: 1013, reason: 'try again' })).toBe('retry');
    expect(endingOf({ code: 4401, reason: 'expired' })).toBe('retry');
    expect(endingOf({ code: 4403, reason: 'revoked' })).toBe('fatal');
    expect(endingOf([{ message: 'no', extensions: { code: 'FORBIDDEN' } }])).toBe('fatal');
    expect(endingOf([{ message: 'old cursor', extensions: { code: 'BAD_USER_INPUT' } }])).toBe('fatal');
    expect(endingOf(new Error('network'))).toBe('retry');
  });

  it('backs off exponentially with jitter, capped', () => {
    expect(retryDelayMs(0, () => 0)).toBe(250);
    expect(retryDelayMs(0, () => 1)).toBe(500);
    expect(retryDelayMs(3, () => 1)).toBe(4000);
    expect(retryDelayMs(30, () => 1)).toBe(15_000);
  });

  it('derives the WebSocket URL from the router URL', () => {
    expect(webSocketUrl('http://localhost:4000/graphql')).toBe('ws://localhost:4000/graphql');
    expect(webSocketUrl('https://api.example.com/graphql')).toBe('wss://api.example.com/graphql');
  });
});
