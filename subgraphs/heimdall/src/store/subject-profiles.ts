import type { Collection, Db } from 'mongodb';
import type { Logger } from '@dataos/subgraph-kit';

/**
 * What Heimdall last learned about a subject from a verified token of theirs: the tags the token
 * gave (`roles:id:…`, `groups:id:…`, `scopes:id:…`, `users:type:…`) and the claims that policy
 * conditions name. It is how a decision about another subject knows the tags it would have,
 * since nobody hands Heimdall someone else's token.
 */
export interface SubjectProfileDoc {
  _id: string; // users:id:<sub>
  tokenTags: string[];
  claims: Record<string, string>;
  seenAt: Date;
}

/** Claims a profile keeps at most, and their length: a token is the caller's to shape. */
const MAX_CLAIMS = 32;
const MAX_CLAIM_LENGTH = 256;
/** The same profile is rewritten at most this often (its `seenAt` then says "at least this recent"). */
const REWRITE_MS = 10 * 60_000;
/** Fingerprints remembered to skip identical rewrites; past it the memory is simply cleared. */
const MAX_REMEMBERED = 50_000;

export class SubjectProfiles {
  private readonly collection: Collection<SubjectProfileDoc>;
  private readonly written = new Map<string, { fingerprint: string; at: number }>();

  constructor(
    db: Db,
    private readonly logger: Logger,
  ) {
    this.collection = db.collection<SubjectProfileDoc>('subject_profiles');
  }

  get(id: string): Promise<SubjectProfileDoc | null> {
    return this.collection.findOne({ _id: id });
  }

  /**
   * Records a sighting off the request's path (fire and forget): only the claims in `claimNames`
   * (those policy conditions compare), as strings, and nothing when the same profile was written
   * in the last ten minutes.
   */
  seen(
    id: string,
    tokenTags: readonly string[],
    claims: Readonly<Record<string, unknown>>,
    claimNames: ReadonlySet<string>,
  ): void {
    const kept: Record<string, string> = {};
    for (const name of claimNames) {
      if (Object.keys(kept).length >= MAX_CLAIMS) break;
      const value = claims[name];
      if (value === undefined || value === null || typeof value === 'object') continue;
      kept[name] = String(value).slice(0, MAX_CLAIM_LENGTH);
    }
    const doc = { tokenTags: [...tokenTags].sort(), claims: kept };
    const fingerprint = JSON.stringify(doc);
    const last = this.written.get(id);
    const now = Date.now();
    if (last && last.fingerprint === fingerprint && now - last.at < REWRITE_MS) return;
    if (this.written.size >= MAX_REMEMBERED) this.written.clear();
    this.written.set(id, { fingerprint, at: now });
    this.collection
      .updateOne({ _id: id }, { $set: { ...doc, seenAt: new Date(now) } }, { upsert: true })
      .catch((error: unknown) => {
        this.written.delete(id);
        this.logger.warn({ err: error, subject: id }, 'subject profile not recorded');
      });
  }
}
