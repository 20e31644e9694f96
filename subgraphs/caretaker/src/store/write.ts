import { MongoBulkWriteError, type AnyBulkWriteOperation, type Collection, type Document } from 'mongodb';

export const DUPLICATE_KEY = 11000;

/**
 * Update statements per `bulkWrite` command. FerretDB 1.24 never answers an `update` command of
 * 100 statements or more (99 take ~0.3 s; checked), and the database stays blocked after it.
 */
export const UPDATE_CHUNK = 50;

/** An unordered bulk of updates, in commands of at most UPDATE_CHUNK statements; the matched count. */
export async function bulkUpdate<T extends Document>(
  collection: Collection<T>,
  ops: AnyBulkWriteOperation<T>[],
): Promise<number> {
  let matched = 0;
  for (let i = 0; i < ops.length; i += UPDATE_CHUNK) {
    matched += (await collection.bulkWrite(ops.slice(i, i + UPDATE_CHUNK), { ordered: false })).matchedCount;
  }
  return matched;
}

function writeErrorsOf(error: MongoBulkWriteError): { index: number; code: number }[] {
  const errors = error.writeErrors;
  return (Array.isArray(errors) ? errors : [errors]).map((e) => ({ index: e.index, code: e.code }));
}

/**
 * insertMany, unordered; documents whose `_id` exists already are skipped. Returns the indexes of
 * the skipped ones. Any other failure is thrown.
 */
export async function insertNew<T extends Document>(collection: Collection<T>, docs: T[]): Promise<Set<number>> {
  if (!docs.length) return new Set();
  try {
    await collection.insertMany(docs as never[], { ordered: false });
    return new Set();
  } catch (error) {
    if (!(error instanceof MongoBulkWriteError)) throw error;
    const errors = writeErrorsOf(error);
    if (errors.some((e) => e.code !== DUPLICATE_KEY)) throw error;
    return new Set(errors.map((e) => e.index));
  }
}

/** Runs `f` over `items`, at most `limit` at a time (single-document reads: the only ones FerretDB pushes down). */
export async function mapLimit<T, R>(items: readonly T[], limit: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
