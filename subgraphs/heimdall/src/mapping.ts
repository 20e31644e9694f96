import { badUserInput } from '@dataos/errors';
import { ACTIONS, PolicyValidationError, type ObjectRef, type PolicyDefinition } from './engine/types.js';
import { validatePolicy } from './engine/validate.js';
import type { PolicyInput, DecisionInput } from './generated/resolvers.js';
import type { PolicyDoc } from './store/collections.js';
import { fromStoredSubjects } from './store/policies.js';

export function toGraphQLPolicy(doc: PolicyDoc) {
  return {
    name: doc._id,
    description: doc.description,
    collection: doc.collection,
    effect: doc.effect === 'deny' ? ('DENY' as const) : ('ALLOW' as const),
    subjects: fromStoredSubjects(doc.subjects),
    actions: doc.actions,
    objects: doc.objects,
    conditions: doc.conditions
      ? {
          notBefore: doc.conditions.notBefore ?? null,
          notAfter: doc.conditions.notAfter ?? null,
          hours: doc.conditions.hours ?? null,
          claims: doc.conditions.claims ?? [],
          objectTagFromClaims: doc.conditions.objectTagFromClaims ?? [],
        }
      : null,
    version: doc.version,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    updatedBy: doc.updatedBy,
  };
}

/** GraphQL input → a validated policy, or BAD_USER_INPUT naming the field. Nothing is written before this passes. */
export function policyFromInput(input: PolicyInput): PolicyDefinition {
  try {
    return validatePolicy({
      name: input.name,
      description: input.description ?? null,
      collection: input.collection ?? null,
      effect: input.effect === 'DENY' ? 'deny' : 'allow',
      subjects: input.subjects,
      actions: input.actions,
      objects: { paths: input.objects.paths ?? [], tags: input.objects.tags ?? [] },
      conditions: input.conditions
        ? {
            notBefore: input.conditions.notBefore ?? null,
            notAfter: input.conditions.notAfter ?? null,
            hours: input.conditions.hours ?? null,
            claims: input.conditions.claims ?? [],
            objectTagFromClaims: input.conditions.objectTagFromClaims ?? [],
          }
        : null,
    });
  } catch (error) {
    if (error instanceof PolicyValidationError) throw badUserInput(error.message, { field: `input.${error.field}` });
    throw error;
  }
}

const KNOWN_ACTIONS = new Set<string>(ACTIONS.filter((a) => a !== '*'));

/** Longest object path or tag a check may name: beyond it, matching globs costs more than any real name needs. */
export const MAX_OBJECT_NAME = 2048;
/** Most tags a check's object may carry. */
export const MAX_OBJECT_TAGS = 256;

/** A decision request must name a real action and an object. */
export function checkFromInput(input: DecisionInput, field: string): { action: string; object: ObjectRef } {
  if (!KNOWN_ACTIONS.has(input.action)) {
    throw badUserInput(`Unknown action "${input.action}": expected one of ${[...KNOWN_ACTIONS].join(', ')}.`, {
      field: `${field}.action`,
    });
  }
  const path = input.object.path ?? null;
  const tags = input.object.tags ?? [];
  if (!path && tags.length === 0) throw badUserInput('The object needs a path or tags.', { field: `${field}.object` });
  if (path && path.length > MAX_OBJECT_NAME) {
    throw badUserInput(`The object path is ${path.length} characters long; at most ${MAX_OBJECT_NAME} are allowed.`, {
      field: `${field}.object.path`,
    });
  }
  if (tags.length > MAX_OBJECT_TAGS) {
    throw badUserInput(`The object has ${tags.length} tags; at most ${MAX_OBJECT_TAGS} are allowed.`, {
      field: `${field}.object.tags`,
    });
  }
  const long = tags.findIndex((t) => t.length > MAX_OBJECT_NAME);
  if (long >= 0) {
    throw badUserInput(
      `Object tag ${long} is ${tags[long]!.length} characters long; at most ${MAX_OBJECT_NAME} are allowed.`,
      {
        field: `${field}.object.tags[${long}]`,
      },
    );
  }
  return { action: input.action, object: { path, tags } };
}
