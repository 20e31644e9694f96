import { MongoServerError, type Db, type ObjectId } from 'mongodb';
import type { Effect, PolicyConditions } from '../engine/types.js';

export interface PolicyDoc {
  _id: string; // the policy name
  description: string | null;
  collection: string | null;
  effect: Effect;
  /** OR of AND sets; stored as objects because FerretDB 1.24 refuses nested arrays. */
  subjects: { all: string[] }[];
  actions: string[];
  objects: { paths: string[]; tags: string[] };
  conditions: PolicyConditions | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  updatedBy: string | null;
}

export interface UserTagsDoc {
  _id: string; // users:id:<sub>
  tags: string[];
  updatedAt: Date;
  updatedBy: string | null;
}

/** Bumped by every change of policies or user tags; replicas poll it to know when to reload. */
export interface MetaDoc {
  _id: 'policies';
  version: number;
}

export interface DecisionDoc {
  _id?: ObjectId;
  time: Date;
  requestId: string | null;
  subject: string;
  /** Who asked, when the decision is about another subject. */
  askedBy?: string;
  action: string;
  object: { path: string | null; tags: string[] };
  allowed: boolean;
  policies: string[];
  reason: string;
  /** On a request's summary entry only: distinct decisions it made past the per-request cap, not logged. */
  unlogged?: number;
}

export function collectionsOf(db: Db) {
  return {
    policies: db.collection<PolicyDoc>('policies'),
    userTags: db.collection<UserTagsDoc>('user_tags'),
    meta: db.collection<MetaDoc>('meta'),
    decisions: db.collection<DecisionDoc>('decisions'),
  };
}

export type Collections = ReturnType<typeof collectionsOf>;

/** Idempotent: the capped decision log and the indexes Heimdall queries by. */
export async function migrate(db: Db, decisionLog: { sizeBytes: number; maxDocs: number }): Promise<void> {
  try {
    await db.createCollection('decisions', { capped: true, size: decisionLog.sizeBytes, max: decisionLog.maxDocs });
  } catch (error) {
    // 48 NamespaceExists: created by an earlier start or another replica.
    if (!(error instanceof MongoServerError && error.code === 48)) throw error;
  }
  const { policies, decisions } = collectionsOf(db);
  await policies.createIndex({ collection: 1 });
  await decisions.createIndex({ subject: 1, _id: -1 });
  await decisions.createIndex({ requestId: 1 });
}
