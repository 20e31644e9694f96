import type { Collection, Db } from 'mongodb';
import { conflict, notFound } from '@dataos/errors';
import { DEFAULT_CONCEPT_POLICIES, DEFAULT_DATA_POLICIES } from './defaults.js';
import type { DataPolicyDoc, DataPolicyInput } from './model.js';
import { validateDataPolicy } from './validate.js';

/** A validated policy document (no store): for seeding and tests. */
export function policyDoc(input: DataPolicyInput, by: string | null = null, now = new Date()): DataPolicyDoc {
  const { name, fields } = validateDataPolicy(input);
  return { _id: name, ...fields, version: 1, createdAt: now, updatedAt: now, updatedBy: by, patternSyntax: 2 };
}

/**
 * A glob of the Gateway's earlier language in today's: there `*` was any run of characters,
 * separators included (now `**`), and `[`, `]`, `{`, `}`, `\` were plain characters (now escaped).
 * A stored `*` subject selector so keeps selecting everybody: read in the new language it would
 * select nobody, and a mask would silently stop masking.
 */
export function fromLegacyGlob(glob: string): string {
  return glob.replace(/\*+|[[\]{}\\]/g, (m) => (m.startsWith('*') ? '**' : `\\${m}`));
}

const fromLegacy = (globs: string[]) => globs.map(fromLegacyGlob);

/**
 * Fills fields a store may have dropped: FerretDB 1.24 leaves out empty top-level arrays written
 * through `$setOnInsert` (checked), so a missing `datasets` or `filters` means empty.
 */
export function normalizePolicy(stored: DataPolicyDoc): DataPolicyDoc {
  const doc = stored.patternSyntax === 2 ? stored : legacyPolicy(stored);
  return {
    ...doc,
    description: doc.description ?? null,
    datasets: doc.datasets ?? [],
    filters: doc.filters ?? [],
    mask: doc.mask ?? null,
    selector: {
      user: { match: doc.selector?.user?.match ?? 'any', tags: doc.selector?.user?.tags ?? [] },
      column: doc.selector?.column
        ? {
            tags: doc.selector.column.tags ?? [],
            names: doc.selector.column.names ?? [],
            concepts: doc.selector.column.concepts ?? [],
          }
        : null,
    },
    enabled: doc.enabled ?? true,
    updatedBy: doc.updatedBy ?? null,
  };
}

/** Subject and column globs of a policy written before @dataos/patterns, in today's language (URN globs kept their meaning). */
function legacyPolicy(doc: DataPolicyDoc): DataPolicyDoc {
  const user = doc.selector?.user;
  const column = doc.selector?.column;
  return {
    ...doc,
    patternSyntax: 2,
    selector: {
      user: { match: user?.match ?? 'any', tags: fromLegacy(user?.tags ?? []) },
      column: column
        ? {
            tags: fromLegacy(column.tags ?? []),
            names: fromLegacy(column.names ?? []),
            concepts: column.concepts ?? [],
          }
        : null,
    },
  };
}

/** Inserts unless a document with that _id exists (no upsert: see normalizePolicy). */
async function insertIfMissing(collection: Collection<DataPolicyDoc>, doc: DataPolicyDoc): Promise<number> {
  try {
    await collection.insertOne(doc);
    return 1;
  } catch (error) {
    if ((error as { code?: number }).code === 11000) return 0;
    throw error;
  }
}

interface MetaDoc {
  _id: string;
  value?: string;
  at: Date;
}

/**
 * Data policies in MongoDB (`gateway.dataPolicies`). Reads are cached for `ttlMs` per process
 * (writes here clear the cache at once; other replicas' writes show within the TTL).
 */
export class DataPolicyStore {
  readonly policies: Collection<DataPolicyDoc>;
  private readonly meta: Collection<MetaDoc>;
  private cached?: { at: number; docs: Promise<DataPolicyDoc[]> };

  constructor(
    db: Db,
    private readonly ttlMs = 2000,
  ) {
    this.policies = db.collection<DataPolicyDoc>('dataPolicies');
    this.meta = db.collection<MetaDoc>('meta');
  }

  /** Creates the default PII policies once per store (a marker document remembers it). */
  async ensureDefaults(): Promise<number> {
    const marker = await this.meta.updateOne(
      { _id: 'default-data-policies' },
      { $setOnInsert: { at: new Date() } },
      { upsert: true },
    );
    let created = 0;
    if (marker.upsertedCount) {
      for (const input of DEFAULT_DATA_POLICIES)
        created += await insertIfMissing(this.policies, policyDoc(input, 'defaults'));
    }
    // Concept defaults came later: their own marker, so stores created before get them once too.
    const concepts = await this.meta.updateOne(
      { _id: 'default-concept-policies' },
      { $setOnInsert: { at: new Date() } },
      { upsert: true },
    );
    if (concepts.upsertedCount) {
      for (const input of DEFAULT_CONCEPT_POLICIES)
        created += await insertIfMissing(this.policies, policyDoc(input, 'defaults'));
    }
    this.invalidate();
    return created;
  }

  invalidate(): void {
    this.cached = undefined;
  }

  /** Every policy (enabled or not), by priority then name. */
  all(): Promise<DataPolicyDoc[]> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > this.ttlMs) {
      const docs = this.policies
        .find()
        .sort({ priority: 1, _id: 1 })
        .toArray()
        .then((all) => all.map(normalizePolicy));
      this.cached = { at: now, docs };
      docs.catch(() => this.invalidate());
    }
    return this.cached.docs;
  }

  async get(name: string): Promise<DataPolicyDoc | null> {
    const doc = await this.policies.findOne({ _id: name });
    return doc ? normalizePolicy(doc) : null;
  }

  /** Inserts a policy unless one has its name (seeding). */
  insertIfMissing(doc: DataPolicyDoc): Promise<number> {
    return insertIfMissing(this.policies, doc).finally(() => this.invalidate());
  }

  async create(input: DataPolicyInput, by: string): Promise<DataPolicyDoc> {
    const doc = policyDoc(input, by);
    try {
      await this.policies.insertOne(doc);
    } catch (error) {
      if ((error as { code?: number }).code === 11000)
        throw conflict(`A data policy named "${doc._id}" exists.`, { field: 'input.name' });
      throw error;
    }
    this.invalidate();
    return doc;
  }

  async update(
    name: string,
    input: DataPolicyInput,
    by: string,
    expectedVersion?: number | null,
  ): Promise<DataPolicyDoc> {
    const { name: newName, fields } = validateDataPolicy(input);
    if (newName !== name)
      throw conflict('A data policy cannot be renamed: create a new one and delete this one.', { field: 'input.name' });
    const current = await this.get(name);
    if (!current) throw notFound(`No data policy named "${name}".`, { field: 'name' });
    if (expectedVersion !== undefined && expectedVersion !== null && expectedVersion !== current.version) {
      throw conflict(`The data policy changed (version ${current.version}, expected ${expectedVersion}).`, {
        field: 'expectedVersion',
      });
    }
    const doc: DataPolicyDoc = {
      ...current,
      ...fields,
      version: current.version + 1,
      updatedAt: new Date(),
      updatedBy: by,
      patternSyntax: 2,
    };
    const res = await this.policies.replaceOne({ _id: name, version: current.version }, doc);
    if (res.matchedCount === 0)
      throw conflict('The data policy changed meanwhile: read it again.', { field: 'expectedVersion' });
    this.invalidate();
    return doc;
  }

  async delete(name: string): Promise<boolean> {
    const res = await this.policies.deleteOne({ _id: name });
    this.invalidate();
    return res.deletedCount === 1;
  }
}
