import type { Db } from 'mongodb';
import { SequencedFeed, type Logger } from '@dataos/subgraph-kit';

export type PolicyChangeKind =
  'POLICY_CREATED' | 'POLICY_UPDATED' | 'POLICY_DELETED' | 'POLICIES_IMPORTED' | 'USER_TAGS_SET';

/** One change of what decisions rest on: a policy, a bulk import, or a user's assigned tags. */
export type PolicyChangeItem = {
  kind: PolicyChangeKind;
  /** The policy (policy changes). */
  name: string | null;
  /** The user whose assigned tags changed. */
  userId: string | null;
  by: string;
  /** The policy version (the counter replicas poll) after this change; null when its bump failed. */
  version: number | null;
};

/** The collection every Heimdall replica appends changes to and tails. */
export const CHANGES_COLLECTION = 'policy_changes';

/**
 * Policy changes in the order every replica agrees on: the kit's sequenced feed, one document
 * per change, so a change's sequence number is the policy version (gap-free, increasing). The
 * write itself comes first; a change that cannot be recorded is logged and the write stands
 * (subscribers then miss it, as replicas miss a failed version bump until their full reload).
 */
export class PolicyChanges {
  readonly feed: SequencedFeed<PolicyChangeItem>;

  constructor(
    db: Db,
    private readonly logger?: Logger,
    options: { pollMs?: number; retentionMs?: number } = {},
  ) {
    this.feed = new SequencedFeed<PolicyChangeItem>(db, CHANGES_COLLECTION, {
      pollMs: options.pollMs ?? 100,
      retentionMs: options.retentionMs ?? 24 * 3_600_000,
      ...(logger ? { logger } : {}),
    });
  }

  /** The sequence number of the change, or null when it could not be recorded. */
  async record(
    change: Pick<PolicyChangeItem, 'kind' | 'by'> & Partial<Pick<PolicyChangeItem, 'name' | 'userId' | 'version'>>,
  ): Promise<number | null> {
    try {
      const [sequence] = await this.feed.append([{ name: null, userId: null, version: null, ...change }]);
      return sequence ?? null;
    } catch (error) {
      this.logger?.error({ err: error, change }, 'policy change not recorded: policyChanges subscribers miss it');
      return null;
    }
  }
}
