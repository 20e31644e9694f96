import { isDeepStrictEqual } from 'node:util';
import { MongoServerError } from 'mongodb';
import type { PolicyDefinition } from '../engine/types.js';
import type { Collections, PolicyDoc } from './collections.js';
import type { PolicyChanges } from '../live/changes.js';
import { VersionCounter } from './version.js';

export const toStoredSubjects = (subjects: string[][]) => subjects.map((all) => ({ all }));
export const fromStoredSubjects = (stored: PolicyDoc['subjects']) => stored.map((s) => s.all);

export const toDefinition = (doc: PolicyDoc): PolicyDefinition => ({
  name: doc._id,
  description: doc.description,
  collection: doc.collection,
  effect: doc.effect,
  subjects: fromStoredSubjects(doc.subjects),
  actions: doc.actions,
  objects: doc.objects,
  conditions: doc.conditions,
});

function toDoc(policy: PolicyDefinition, by: string, now: Date): PolicyDoc {
  return {
    _id: policy.name,
    description: policy.description ?? null,
    collection: policy.collection ?? null,
    effect: policy.effect,
    subjects: toStoredSubjects(policy.subjects),
    actions: policy.actions,
    objects: policy.objects,
    conditions: policy.conditions ?? null,
    version: 1,
    createdAt: now,
    updatedAt: now,
    updatedBy: by,
  };
}

export class DuplicatePolicyError extends Error {}
export class StaleVersionError extends Error {}

export interface PolicyPage {
  docs: PolicyDoc[];
  hasNextPage: boolean;
  totalCount: number;
}

/**
 * What a write returns: the document and the version its bump reached, which the writer's replica
 * waits for before answering; null when the bump failed (the replica then reloads in full).
 */
export interface Written<T> {
  doc: T;
  version: number | null;
}

/** Policies in MongoDB; every write bumps the version document that replicas poll. */
export class PolicyRepository {
  constructor(
    private readonly c: Collections,
    readonly versions: VersionCounter = new VersionCounter(c),
    /** Where changes are announced to `policyChanges` subscribers (every replica's). */
    private readonly changes?: PolicyChanges,
  ) {}

  version(): Promise<number> {
    return this.versions.current();
  }

  /** Bumps the version replicas poll, then tells subscribers (who may then ask for decisions). */
  private async announce(change: Parameters<PolicyChanges['record']>[0]): Promise<number | null> {
    const version = await this.versions.bump();
    await this.changes?.record({ ...change, version });
    return version;
  }

  all(): Promise<PolicyDoc[]> {
    return this.c.policies.find().toArray();
  }

  get(name: string): Promise<PolicyDoc | null> {
    return this.c.policies.findOne({ _id: name });
  }

  async page(
    first: number,
    after: string | null,
    filter: { search?: string | null; effect?: 'allow' | 'deny' | null; collection?: string | null },
  ): Promise<PolicyPage> {
    const query: Record<string, unknown> = {};
    if (filter.search) query._id = { $regex: filter.search.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), $options: 'i' };
    if (filter.effect) query.effect = filter.effect;
    if (filter.collection) query.collection = filter.collection;
    const totalCount = await this.c.policies.countDocuments(query);
    const paged = after ? { ...query, $and: [{ _id: { $gt: after } }] } : query;
    const docs = await this.c.policies
      .find(paged)
      .sort({ _id: 1 })
      .limit(first + 1)
      .toArray();
    return { docs: docs.slice(0, first), hasNextPage: docs.length > first, totalCount };
  }

  async create(policy: PolicyDefinition, by: string): Promise<Written<PolicyDoc>> {
    const doc = toDoc(policy, by, new Date());
    try {
      await this.c.policies.insertOne(doc);
    } catch (error) {
      if (error instanceof MongoServerError && error.code === 11000) throw new DuplicatePolicyError(policy.name);
      throw error;
    }
    return { doc, version: await this.announce({ kind: 'POLICY_CREATED', name: policy.name, by }) };
  }

  /** Replaces a policy; with `expectedVersion`, only if nobody changed it since. Null when absent. */
  async replace(
    policy: PolicyDefinition,
    by: string,
    expectedVersion?: number | null,
  ): Promise<Written<PolicyDoc> | null> {
    const filter = expectedVersion == null ? { _id: policy.name } : { _id: policy.name, version: expectedVersion };
    const updated = await this.c.policies.findOneAndUpdate(
      filter,
      {
        $set: {
          description: policy.description ?? null,
          collection: policy.collection ?? null,
          effect: policy.effect,
          subjects: toStoredSubjects(policy.subjects),
          actions: policy.actions,
          objects: policy.objects,
          conditions: policy.conditions ?? null,
          updatedAt: new Date(),
          updatedBy: by,
        },
        $inc: { version: 1 },
      },
      { returnDocument: 'after' },
    );
    if (!updated) {
      if (expectedVersion != null && (await this.get(policy.name))) throw new StaleVersionError(policy.name);
      return null;
    }
    return { doc: updated, version: await this.announce({ kind: 'POLICY_UPDATED', name: policy.name, by }) };
  }

  /** Null when there was no such policy (nothing written, no bump). */
  async delete(name: string, by = 'unknown'): Promise<Written<true> | null> {
    const { deletedCount } = await this.c.policies.deleteOne({ _id: name });
    if (!deletedCount) return null;
    return { doc: true, version: await this.announce({ kind: 'POLICY_DELETED', name, by }) };
  }

  /**
   * Bulk import of validated policies (one round trip per 1000), then one version bump, also
   * when a later chunk fails: the chunks already written must reach every replica.
   */
  async insertMany(policies: PolicyDefinition[], by: string): Promise<number> {
    const now = new Date();
    let inserted = 0;
    try {
      for (let i = 0; i < policies.length; i += 1000) {
        const result = await this.c.policies.insertMany(policies.slice(i, i + 1000).map((p) => toDoc(p, by, now)));
        inserted += result.insertedCount;
      }
    } finally {
      const version = await this.versions.bump();
      if (inserted) await this.changes?.record({ kind: 'POLICIES_IMPORTED', by, version });
    }
    return inserted;
  }

  /**
   * Inserts the policies that do not exist yet (bootstrap and demo seeds). A policy that exists is
   * brought up to date only while `by` was its last writer: a seed that changed reaches databases
   * seeded before, but a policy somebody edited since is theirs and stays as it is.
   */
  async ensure(policies: PolicyDefinition[], by: string): Promise<{ created: number; updated: number }> {
    let created = 0;
    let updated = 0;
    for (const policy of policies) {
      const stored = await this.get(policy.name);
      if (stored) {
        if (stored.updatedBy !== by || isDeepStrictEqual(comparable(toDefinition(stored)), comparable(policy)))
          continue;
        // Conditional on the version read: an edit made meanwhile wins.
        try {
          if (await this.replace(policy, by, stored.version)) updated++;
        } catch (error) {
          if (!(error instanceof StaleVersionError)) throw error;
        }
        continue;
      }
      try {
        await this.create(policy, by);
        created++;
      } catch (error) {
        if (!(error instanceof DuplicatePolicyError)) throw error; // another replica won the race
      }
    }
    return { created, updated };
  }
}

/** The fields a definition is compared on (absent and null optional fields are the same). */
const comparable = (p: PolicyDefinition) => ({
  description: p.description ?? null,
  collection: p.collection ?? null,
  effect: p.effect,
  subjects: p.subjects,
  actions: p.actions,
  objects: { paths: p.objects.paths ?? [], tags: p.objects.tags ?? [] },
  conditions: p.conditions ?? null,
});
