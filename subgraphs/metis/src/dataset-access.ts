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

/** How lists are authorized (METIS_LIST_AUTHZ). */
export type ListAuthz = 'grants' | 'decisions';

/** The scopes Metis asks grants for: dataset URNs, and the catalog's own paths. */
const DATASET_SCOPE = 'dataos://**';
const CATALOG_SCOPE = '/metis/**';

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
  constructor(
    private readonly session: HeimdallSession,
    private readonly mode: ListAuthz = 'grants',
  ) {}

  /**
   * The items whose object the caller may read. With grants: one `grants` call per scope and
   * request (Heimdall logs one summarised entry for it), each object checked locally, and only
   * those a policy's condition needs decided one by one; equal to a decision per object (Heimdall's
   * contract, and Metis's tests run both ways). With decisions: one decision per object.
   */
  private filterRead<T>(items: readonly T[], scope: string, objectOf: (item: T) => ObjectRef): Promise<T[]> {
    if (this.mode === 'decisions' || items.length === 0) return this.session.filterAllowed(items, 'read', objectOf);
    return this.session.grants('read', scope).then((grants) => this.session.filterByGrants(items, grants, objectOf));
  }

  async canReadDataset(d: DatasetAuthFacts): Promise<boolean> {
    return (await this.session.decide('read', datasetObject(d, d.domainName))).allowed;
  }

  /** The datasets (or items of a dataset) the caller may read, in their order. */
  readable<T>(items: readonly T[], factsOf: (item: T) => DatasetAuthFacts): Promise<T[]> {
    return this.filterRead(items, DATASET_SCOPE, (item) => {
      const facts = factsOf(item);
      return datasetObject(facts, facts.domainName);
    });
  }

  /** Items guarded by a catalog path (`/metis/...`). */
  readablePaths<T>(items: readonly T[], pathOf: (item: T) => string): Promise<T[]> {
    return this.filterRead(items, CATALOG_SCOPE, (item) => ({ path: pathOf(item) }));
  }

  /** FORBIDDEN with the first refused field unless every write is allowed; nothing is written then. */
  async requireWrites(checks: readonly WriteCheck[]): Promise<void> {
    const answers = await Promise.all(checks.map((c) => this.session.decide('write', c.object)));
    const refused = checks.filter((_, i) => !answers[i]!.allowed);
    const first = refused[0];
    if (first) throw notAllowed('write', first.object, undefined, { field: first.field, refused: refused.length });
  }
}
