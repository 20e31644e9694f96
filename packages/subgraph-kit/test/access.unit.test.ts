import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { isAllowed, notAllowed, requireAllowed, type AccessContext, type AccessObject } from '../src/index.js';

/** A context whose Heimdall allows `read` on paths under /ok and records what it was asked. */
function context(principal: boolean) {
  const asked: [string, AccessObject][] = [];
  const ctx = {
    requestId: 'r1',
    principal: principal ? { id: 'alice' } : null,
    logger: undefined,
    heimdall: {
      decide: (action: string, object: AccessObject) => {
        asked.push([action, object]);
        const allowed = action === 'read' && (object.path ?? '').startsWith('/ok');
        return Promise.resolve({ allowed, reason: allowed ? 'policy p' : 'no policy allows it' });
      },
    },
  } as unknown as AccessContext;
  return { ctx, asked };
}

async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
    return null;
  } catch (e) {
    if (!(e instanceof GraphQLError)) throw e;
    return { message: e.message, ...e.extensions };
  }
}

describe('requireAllowed / isAllowed: the one Heimdall check', () => {
  it('passes what Heimdall allows and asks with a path or a path with tags', async () => {
    const { ctx, asked } = context(true);
    await requireAllowed(ctx, 'read', '/ok/pods');
    expect(await isAllowed(ctx, 'read', { path: '/ok/x', tags: ['dataos:tag:PII'] })).toBe(true);
    expect(await isAllowed(ctx, 'write', '/ok/x')).toBe(false);
    expect(asked).toEqual([
      ['read', { path: '/ok/pods' }],
      ['read', { path: '/ok/x', tags: ['dataos:tag:PII'] }],
      ['write', { path: '/ok/x' }],
    ]);
  });

  it('refuses with FORBIDDEN naming the action, the object, the reason and the input field', async () => {
    const { ctx } = context(true);
    expect(await refusal(requireAllowed(ctx, 'write', '/ok/pods'))).toEqual({
      message: 'Not allowed to write /ok/pods: no policy allows it',
      code: 'FORBIDDEN',
      action: 'write',
      path: '/ok/pods',
      reason: 'no policy allows it',
    });
    expect(
      await refusal(requireAllowed(ctx, 'read', { path: 'dataos://a:b/c', tags: [] }, { field: 'input.urn' })),
    ).toMatchObject({
      code: 'FORBIDDEN',
      field: 'input.urn',
      path: 'dataos://a:b/c',
    });
  });

  it('answers UNAUTHENTICATED without a caller, before asking Heimdall', async () => {
    const { ctx, asked } = context(false);
    expect(await refusal(requireAllowed(ctx, 'read', '/ok/pods'))).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await refusal(isAllowed(ctx, 'read', '/ok/pods'))).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(asked).toEqual([]);
  });

  it('notAllowed names an object without a path, and ends without a reason', () => {
    expect(notAllowed('read', { tags: ['x'] }).message).toBe('Not allowed to read this object.');
    expect(notAllowed('read', '/x').extensions).not.toHaveProperty('reason');
    expect(notAllowed('manage', '/heimdall/policies', 'denied by p').extensions).toMatchObject({
      code: 'FORBIDDEN',
      action: 'manage',
      path: '/heimdall/policies',
    });
  });
});
