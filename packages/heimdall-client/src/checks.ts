import { badUserInput } from '@dataos/errors';
import type { ObjectRef } from './types.js';

/** The actions Heimdall decides (its schema's policy actions, without `*`). */
export const ACTIONS: ReadonlySet<string> = new Set(['read', 'write', 'create', 'delete', 'execute', 'manage']);
/** Heimdall's limits on a check's object: longest path or tag, most tags. */
export const MAX_OBJECT_NAME = 2048;
export const MAX_OBJECT_TAGS = 256;

export interface Check {
  action: string;
  object: ObjectRef;
}

/**
 * What Heimdall would refuse in a check, found before batching: Heimdall refuses a whole batch
 * for one bad check, and a batch mixes the checks of every resolver of a request.
 */
export function checkProblem({ action, object }: Check): Error | null {
  if (!ACTIONS.has(action)) {
    return badUserInput(`Unknown action "${action}": expected one of ${[...ACTIONS].join(', ')}.`, { field: 'action' });
  }
  const tags = object.tags ?? [];
  if (!object.path && tags.length === 0) return badUserInput('The object needs a path or tags.', { field: 'object' });
  if (object.path && object.path.length > MAX_OBJECT_NAME) {
    return badUserInput(
      `The object path is ${object.path.length} characters long; at most ${MAX_OBJECT_NAME} are allowed.`,
      {
        field: 'object.path',
      },
    );
  }
  if (tags.length > MAX_OBJECT_TAGS) {
    return badUserInput(`The object has ${tags.length} tags; at most ${MAX_OBJECT_TAGS} are allowed.`, {
      field: 'object.tags',
    });
  }
  const long = tags.findIndex((t) => t.length > MAX_OBJECT_NAME);
  if (long >= 0) {
    return badUserInput(`Object tag ${long} is longer than ${MAX_OBJECT_NAME} characters.`, {
      field: `object.tags[${long}]`,
    });
  }
  return null;
}

/** The batch index a BAD_USER_INPUT from `decideBatch` names (`inputs[3].action`), if any. */
export function badInputIndex(error: unknown, size: number): number | null {
  const ext = (error as { extensions?: { code?: unknown; field?: unknown } }).extensions;
  if (ext?.code !== 'BAD_USER_INPUT' || typeof ext.field !== 'string') return null;
  const match = /^inputs\[(\d+)\]/.exec(ext.field);
  const at = match ? Number(match[1]) : NaN;
  return Number.isInteger(at) && at < size ? at : null;
}
