import type { Filter } from 'mongodb';

/**
 * Whether a document matches a filter of the shapes `podQuery` builds (field equality on dotted
 * paths, `$in`, a label in an array, `$and`): live events are filtered in memory with the very
 * filter, and its input checks, that `pods` sends to MongoDB. Anything else is refused loudly.
 */
export function matchesQuery<T extends object>(doc: T, query: Filter<T>): boolean {
  for (const [key, condition] of Object.entries(query as Record<string, unknown>)) {
    if (key === '$and') {
      if (!(condition as Filter<T>[]).every((q) => matchesQuery(doc, q))) return false;
      continue;
    }
    if (key.startsWith('$')) throw new Error(`matchesQuery: ${key} is not supported`);
    const value = valueAt(doc, key);
    if (condition !== null && typeof condition === 'object' && !(condition instanceof Date)) {
      const ops = Object.entries(condition as Record<string, unknown>);
      for (const [op, operand] of ops) {
        if (op !== '$in') throw new Error(`matchesQuery: ${op} is not supported`);
        if (!(operand as unknown[]).some((o) => equalsOrContains(value, o))) return false;
      }
    } else if (!equalsOrContains(value, condition)) return false;
  }
  return true;
}

function valueAt(doc: object, path: string): unknown {
  let value: unknown = doc;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** MongoDB's equality: an array field matches when one of its elements does. */
const equalsOrContains = (value: unknown, wanted: unknown): boolean =>
  Array.isArray(value) ? value.some((v) => v === wanted) : (value ?? null) === wanted;
