import { forbidden } from '@dataos/errors';
import type { HeimdallSession, ObjectRef } from '@dataos/heimdall-client';

/** What Heimdall is told about a dataset: its URN as the path, its tags plus its domain's tag. */
export interface DatasetAuthFacts {
  urn: string;
  tags: readonly string[];
  domainName: string | null;
}

export const domainTag = (domain: string) => `dataos:domain:${domain}`;

/**
 * Heimdall matches tags of the form `namespace:...:value`: catalog tags without a namespace
 * (`PII.Email`, `Tier.Gold`) are sent as `dataos:tag:<tag>`; namespaced ones as they are.
 */
export const heimdallTag = (tag: string) => (tag.includes(':') ? tag : `dataos:tag:${tag}`);

export function heimdallTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map(heimdallTag))].sort();
}

export function datasetObject(d: DatasetAuthFacts): ObjectRef {
  return { path: d.urn, tags: heimdallTags(d.domainName ? [...d.tags, domainTag(d.domainName)] : d.tags) };
}

/** A column as an object of its own: `<datasetUrn>/<column>` with the column's tags. */
export const columnObject = (c: { datasetUrn: string; name: string; tags: readonly string[] }): ObjectRef => ({
  path: `${c.datasetUrn}/${c.name}`,
  tags: heimdallTags(c.tags),
});

export interface WriteCheck {
  object: ObjectRef;
  /** The input field the object comes from, reported when refused. */
  field: string;
}

/**
 * Per-request authorization through Heimdall. Every check of a tick goes to Heimdall in one call
 * (the session's DataLoader) and each answer is cached for the request.
 */
export class Authorizer {
  constructor(private readonly session: HeimdallSession) {}

  async allowed(action: string, object: ObjectRef): Promise<boolean> {
    return (await this.session.decide(action, object)).allowed;
  }

  canReadDataset(d: DatasetAuthFacts): Promise<boolean> {
    return this.allowed('read', datasetObject(d));
  }

  /** The datasets (or items of a dataset) the caller may read, in their order. */
  readable<T>(items: readonly T[], factsOf: (item: T) => DatasetAuthFacts): Promise<T[]> {
    return this.session.filterAllowed(items, 'read', (item) => datasetObject(factsOf(item)));
  }

  /** Items guarded by a catalog path (`/metis/...`). */
  readablePaths<T>(items: readonly T[], pathOf: (item: T) => string): Promise<T[]> {
    return this.session.filterAllowed(items, 'read', (item) => ({ path: pathOf(item) }));
  }

  /** FORBIDDEN with the first refused field unless every write is allowed; nothing is written then. */
  async requireWrites(checks: readonly WriteCheck[]): Promise<void> {
    const answers = await Promise.all(checks.map((c) => this.session.decide('write', c.object)));
    const refused = checks.filter((_, i) => !answers[i]!.allowed);
    const first = refused[0];
    if (first) {
      throw forbidden(`Not allowed to write ${first.object.path ?? 'this object'}.`, {
        field: first.field,
        refused: refused.length,
      });
    }
  }
}
