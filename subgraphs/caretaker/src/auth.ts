import { forbidden } from '@dataos/errors';
import { requirePrincipal } from '@dataos/subgraph-kit';
import type { Context } from './context.js';

/** Heimdall object paths of Caretaker (policies grant them with `/caretaker/**`). */
export const PATHS = {
  pods: '/caretaker/pods',
  nodes: '/caretaker/nodes',
  ingest: '/caretaker/ingest',
  archive: '/caretaker/archive',
} as const;

/**
 * Zero trust: whatever the router decided, ask Heimdall (once per request and check; the
 * session batches and caches) and refuse with the reason it gives.
 */
export async function authorize(ctx: Context, action: 'read' | 'write', path: string): Promise<void> {
  requirePrincipal(ctx);
  const decision = await ctx.heimdall.decide(action, { path });
  if (!decision.allowed) {
    throw forbidden(`Not allowed to ${action} ${path}: ${decision.reason}`, {
      reason: decision.reason,
      policies: decision.policies,
    });
  }
}
