import type { Collections, UserTagsDoc } from './collections.js';
import type { Written } from './policies.js';
import type { PolicyChanges } from '../live/changes.js';
import type { VersionCounter } from './version.js';

/** Tags assigned to users in Heimdall, added to the tags their tokens carry. */
export class UserTagRepository {
  constructor(
    private readonly c: Collections,
    private readonly versions: VersionCounter,
    private readonly changes?: PolicyChanges,
  ) {}

  all(): Promise<UserTagsDoc[]> {
    return this.c.userTags.find().toArray();
  }

  get(userId: string): Promise<UserTagsDoc | null> {
    return this.c.userTags.findOne({ _id: userId });
  }

  async set(userId: string, tags: string[], by: string): Promise<Written<UserTagsDoc>> {
    const doc: UserTagsDoc = { _id: userId, tags, updatedAt: new Date(), updatedBy: by };
    if (tags.length === 0) await this.c.userTags.deleteOne({ _id: userId });
    else await this.c.userTags.replaceOne({ _id: userId }, doc, { upsert: true });
    const version = await this.versions.bump();
    await this.changes?.record({ kind: 'USER_TAGS_SET', userId, by, version });
    return { doc, version };
  }
}
