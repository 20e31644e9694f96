import type { Operation } from '@apollo/federation-internals';
import type { GraphQLError } from 'graphql';

/** `@apollo/gateway`'s per-request response shaping, as its `dist/resultShaping.js` exports it (2.14). */
export type ComputeResponse = (args: {
  operation: Operation;
  variables?: Record<string, unknown>;
  input: Record<string, unknown> | null | undefined;
  introspectionHandling: (selection: unknown) => unknown;
}) => { data: Record<string, unknown> | null | undefined; errors: GraphQLError[] };

/**
 * Apollo Gateway's `computeResponse`, which the router's shaper is tested against. It is not
 * public API: loaded on demand (the router never needs it to run) and checked, so that a
 * version that moved it fails the test that uses it with this message, not an import error.
 */
export async function apolloComputeResponse(): Promise<ComputeResponse> {
  let loaded: { computeResponse?: unknown };
  try {
    loaded = (await import('@apollo/gateway/dist/resultShaping.js')) as { computeResponse?: unknown };
  } catch (error) {
    throw new Error(`@apollo/gateway has no dist/resultShaping.js any more: ${(error as Error).message}`);
  }
  if (typeof loaded.computeResponse !== 'function')
    throw new Error('@apollo/gateway dist/resultShaping.js no longer exports computeResponse');
  return loaded.computeResponse as ComputeResponse;
}
