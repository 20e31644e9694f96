import { describe, expect, it } from 'vitest';
import { subscribeUpstream, type UpstreamEnd } from '../src/subscriptions/upstream.js';

/** A real WebSocket connection attempt to a port nothing listens on (127.0.0.1:9, discard). */
describe('an upstream subscription whose subgraph is down', () => {
  it('leaves no unhandled rejection behind when disposed while it is still connecting', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      const ends: UpstreamEnd[] = [];
      const upstream = subscribeUpstream({
        url: 'http://127.0.0.1:9/graphql',
        query: 'subscription { ticks }',
        variables: {},
        connectionParams: {},
        maxPayloadBytes: 0,
        connectTimeoutMs: 2000,
        onEvent: () => undefined,
        onEnd: (end) => ends.push(end),
      });
      // The subscription goes away (its caller left) before the refused connection is known.
      await new Promise((resolve) => setImmediate(resolve));
      upstream.dispose();
      // Rejections are reported after the microtask queue drains: give them a few turns.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(rejections).toEqual([]);
      expect(ends).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});
