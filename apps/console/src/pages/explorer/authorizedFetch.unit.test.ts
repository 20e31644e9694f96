import { describe, expect, it } from 'vitest';
import { authorizedFetch } from './authorizedFetch.js';

function recorder() {
  const seen: Headers[] = [];
  const impl = (async (_input: RequestInfo | URL, init?: RequestInit) => {
    seen.push(new Headers(init?.headers));
    return new Response('{}');
  }) as typeof fetch;
  return { seen, impl };
}

describe('authorizedFetch', () => {
  it('adds the current token to every request, read again each time', async () => {
    const { seen, impl } = recorder();
    let token = 'first';
    const send = authorizedFetch(async () => token, impl);
    await send('http://localhost:4000/graphql', { method: 'POST', headers: { 'content-type': 'application/json' } });
    token = 'renewed';
    await send('http://localhost:4000/graphql', { method: 'POST' });
    expect(seen.map((h) => h.get('authorization'))).toEqual(['Bearer first', 'Bearer renewed']);
    expect(seen[0]!.get('content-type')).toBe('application/json');
  });

  it('keeps an Authorization header typed in GraphiQL, and sends none without a user', async () => {
    const { seen, impl } = recorder();
    await authorizedFetch(async () => 'mine', impl)('/graphql', { headers: { Authorization: 'Bearer typed' } });
    await authorizedFetch(async () => null, impl)('/graphql', {});
    expect(seen[0]!.get('authorization')).toBe('Bearer typed');
    expect(seen[1]!.has('authorization')).toBe(false);
  });
});
