import { compilePattern, PatternError, type PatternKind } from '@dataos/patterns';
import { ACTIONS, PolicyValidationError, type PolicyConditions, type PolicyDefinition } from './types.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const TAG_SHAPE = /^[^\s:]+(:[^\s:]*)+$/;
const PATH_SHAPE = /^(\/|[a-z][a-z0-9+.-]*:\/\/)\S*$/;
const GLOB_CHARS = /[*?[\]{}\\]/;
const ACTION_SET = new Set<string>(ACTIONS);

const invalid = (field: string, message: string): never => {
  throw new PolicyValidationError(field, message);
};

/** A pattern's problem becomes Heimdall's PolicyValidationError, naming the field (the edge of `@dataos/patterns`). */
function checkGlob(value: unknown, field: string, kind: PatternKind, shape: RegExp, shapeHelp: string): string {
  if (typeof value !== 'string' || !value) invalid(field, `${field} must be a non-empty string.`);
  const text = value as string;
  if (!shape.test(text)) invalid(field, `"${text}" is not ${shapeHelp}.`);
  try {
    compilePattern(text, kind);
  } catch (error) {
    if (error instanceof PatternError) invalid(field, error.message);
    throw error;
  }
  return text;
}

const tagGlob = (value: unknown, field: string) =>
  checkGlob(value, field, 'tag', TAG_SHAPE, 'a tag of the form namespace:...:value without spaces');
const pathGlob = (value: unknown, field: string) =>
  checkGlob(value, field, 'path', PATH_SHAPE, 'a path starting with "/" or "scheme://", without spaces');

function list(value: unknown, field: string): unknown[] {
  if (value == null) return [];
  if (!Array.isArray(value)) invalid(field, `${field} must be a list.`);
  return value as unknown[];
}

function conditions(value: PolicyConditions | null | undefined): PolicyConditions | null {
  if (!value) return null;
  const notBefore = value.notBefore ?? null;
  const notAfter = value.notAfter ?? null;
  if (notBefore && notAfter && notBefore.getTime() >= notAfter.getTime()) {
    invalid('conditions.notAfter', 'conditions.notAfter must be later than conditions.notBefore.');
  }
  const hours = value.hours ?? null;
  if (hours) {
    const ok = (h: number) => Number.isInteger(h) && h >= 0 && h <= 24;
    if (!ok(hours.from) || !ok(hours.to))
      invalid('conditions.hours', 'conditions.hours takes whole hours from 0 to 24.');
    if (hours.from === hours.to) invalid('conditions.hours', 'conditions.hours.from and .to must differ.');
  }
  const claims = list(value.claims, 'conditions.claims').map((c, i) => {
    const claim = c as { claim?: unknown; equals?: unknown };
    if (typeof claim.claim !== 'string' || !claim.claim.trim()) {
      invalid(`conditions.claims[${i}].claim`, 'A claim condition needs the claim name.');
    }
    if (typeof claim.equals !== 'string') invalid(`conditions.claims[${i}].equals`, 'A claim condition needs a value.');
    return { claim: (claim.claim as string).trim(), equals: claim.equals as string };
  });
  const objectTags = list(value.objectTagFromClaims, 'conditions.objectTagFromClaims').map((c, i) => {
    const field = `conditions.objectTagFromClaims[${i}]`;
    const o = c as { claim?: unknown; prefix?: unknown };
    if (typeof o.claim !== 'string' || !o.claim.trim())
      invalid(`${field}.claim`, 'An object tag condition needs the claim name.');
    if (typeof o.prefix !== 'string' || !/^[^\s*?[\]{}]+:$/.test(o.prefix)) {
      invalid(
        `${field}.prefix`,
        'An object tag condition needs a tag prefix ending with ":" and no wildcard (dataos:region:).',
      );
    }
    return { claim: (o.claim as string).trim(), prefix: o.prefix as string };
  });
  if (!notBefore && !notAfter && !hours && claims.length === 0 && objectTags.length === 0) return null;
  return { notBefore, notAfter, hours, claims, ...(objectTags.length ? { objectTagFromClaims: objectTags } : {}) };
}

/** Checks a policy as people write it and returns it normalized; throws PolicyValidationError naming the field. */
export function validatePolicy(input: PolicyDefinition): PolicyDefinition {
  if (typeof input.name !== 'string' || !NAME.test(input.name)) {
    invalid(
      'name',
      `"${String(input.name)}" is not a valid policy name: 1 to 128 letters, digits, ".", "_" or "-", starting with a letter or digit.`,
    );
  }
  if (input.effect !== 'allow' && input.effect !== 'deny') invalid('effect', 'effect must be allow or deny.');
  if (input.description != null && (typeof input.description !== 'string' || input.description.length > 2000)) {
    invalid('description', 'description must be text of at most 2000 characters.');
  }
  if (input.collection != null && (typeof input.collection !== 'string' || !NAME.test(input.collection))) {
    invalid('collection', 'collection must be a name of letters, digits, ".", "_" or "-".');
  }

  const subjectSets = list(input.subjects, 'subjects');
  if (subjectSets.length === 0)
    invalid('subjects', 'subjects must name at least one set of tags (who the policy is about).');
  const subjects = subjectSets.map((set, i) => {
    const tags = list(set, `subjects[${i}]`);
    if (tags.length === 0) invalid(`subjects[${i}]`, `subjects[${i}] is empty: each set needs at least one tag.`);
    return [...new Set(tags.map((t, j) => tagGlob(t, `subjects[${i}][${j}]`)))];
  });

  const actionList = list(input.actions, 'actions');
  if (actionList.length === 0) invalid('actions', `actions must name at least one of ${ACTIONS.join(', ')}.`);
  const actions = [
    ...new Set(
      actionList.map((a, i) => {
        if (typeof a !== 'string' || !ACTION_SET.has(a)) {
          invalid(`actions[${i}]`, `Unknown action "${String(a)}": expected one of ${ACTIONS.join(', ')}.`);
        }
        return a as string;
      }),
    ),
  ];

  const paths = [
    ...new Set(list(input.objects?.paths, 'objects.paths').map((p, i) => pathGlob(p, `objects.paths[${i}]`))),
  ];
  const tags = [...new Set(list(input.objects?.tags, 'objects.tags').map((t, i) => tagGlob(t, `objects.tags[${i}]`)))];
  if (paths.length === 0 && tags.length === 0) invalid('objects', 'objects needs at least one path or tag.');

  return {
    name: input.name,
    description: input.description ?? null,
    collection: input.collection ?? null,
    effect: input.effect,
    subjects,
    actions,
    objects: { paths, tags },
    conditions: conditions(input.conditions),
  };
}

/**
 * Namespaces only a verified token speaks for: assigning `users:id:carol` would let someone act
 * as carol, `scopes:id:*` would grant what the token owner never consented to.
 */
export const RESERVED_NAMESPACES = ['users', 'scopes'] as const;
/** Namespaces policies grant on (admin included): assigning them is a policy-level right. */
export const PRIVILEGED_NAMESPACES = ['roles', 'groups'] as const;

const namespaceOf = (tag: string) => tag.slice(0, tag.indexOf(':'));

/** Tags assigned to a user are concrete (no globs), `namespace:...` shaped, without spaces, outside reserved namespaces. */
export function validateAssignedTags(tags: readonly unknown[]): string[] {
  return [
    ...new Set(
      tags.map((tag, i) => {
        if (typeof tag !== 'string' || !TAG_SHAPE.test(tag) || GLOB_CHARS.test(tag)) {
          invalid(
            `tags[${i}]`,
            `"${String(tag)}" is not a tag to assign: namespace:...:value, no spaces or wildcards.`,
          );
        }
        const text = tag as string;
        if (text.length > 256) invalid(`tags[${i}]`, `tags[${i}] is longer than 256 characters.`);
        if ((RESERVED_NAMESPACES as readonly string[]).includes(namespaceOf(text))) {
          invalid(
            `tags[${i}]`,
            `"${text}" cannot be assigned: ${RESERVED_NAMESPACES.map((n) => `${n}:`).join(' and ')} tags come only from the verified token.`,
          );
        }
        return text;
      }),
    ),
  ];
}

/**
 * The tags of a change (added or removed) that need the right to manage policies: the
 * `roles:` and `groups:` namespaces, and the tags of HEIMDALL_ADMIN_TAGS whatever their namespace.
 */
export function privilegedTagChanges(
  before: readonly string[],
  after: readonly string[],
  adminTags: readonly string[],
): string[] {
  const old = new Set(before);
  const next = new Set(after);
  const changed = [...after.filter((t) => !old.has(t)), ...before.filter((t) => !next.has(t))];
  return changed.filter(
    (t) => (PRIVILEGED_NAMESPACES as readonly string[]).includes(namespaceOf(t)) || adminTags.includes(t),
  );
}
