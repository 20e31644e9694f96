import type { HeimdallSession, ObjectRef } from '@dataos/heimdall-client';
import { datasetObject, heimdallTags, notAllowed } from '@dataos/subgraph-kit';

/** What Heimdall is told about a dataset, through the kit's `datasetObject` (Odin sends the same). */
export interface DatasetAuthFacts {
  urn: string;
  tags: readonly string[];
  domainName: string | null;
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
 * What the caller may see and change of the catalog, as lists: the datasets (and paths) of a page
 * they may read, and every write of a mutation at once. Single checks use the kit's `isAllowed` /
 * `requireAllowed` on the same request session; every check of a tick goes to Heimdall in one call
 * (the session's DataLoader) and each answer is cached for the request.
 */
export class DatasetAccess {
  constructor(private readonly session: HeimdallSession) {}

  async canReadDataset(d: DatasetAuthFacts): Promise<boolean> {
    return (await this.session.decide('read', datasetObject(d, d.domainName))).allowed;
  }

  /** The datasets (or items of a dataset) the caller may read, in their order. */
  readable<T>(items: readonly T[], factsOf: (item: T) => DatasetAuthFacts): Promise<T[]> {
    return this.session.filterAllowed(items, 'read', (item) => {
      const facts = factsOf(item);
      return datasetObject(facts, facts.domainName);
    });
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
    if (first) throw notAllowed('write', first.object, undefined, { field: first.field, refused: refused.length });
  }
}
