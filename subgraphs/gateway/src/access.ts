import { forbidden } from '@dataos/errors';
import { requirePrincipal } from '@dataos/subgraph-kit';
import type { Context } from './context.js';

/** Heimdall paths guarding the Gateway's own resources. */
export const PATHS = {
  clusters: '/gateway/clusters',
  policies: '/gateway/policies',
  queries: '/gateway/queries',
} as const;

/** The caller must be authenticated and allowed `action` on `path` by Heimdall; FORBIDDEN otherwise. */
export async function requireAllowed(ctx: Context, action: string, path: string): Promise<void> {
  requirePrincipal(ctx);
  const decision = await ctx.heimdall.decide(action, { path });
  if (!decision.allowed) throw forbidden(`Not allowed to ${action} ${path}: ${decision.reason}`, { action, path });
}

export async function isAllowed(ctx: Context, action: string, path: string): Promise<boolean> {
  requirePrincipal(ctx);
  return (await ctx.heimdall.decide(action, { path })).allowed;
}
