/**
 * What Heimdall is told about a catalog dataset, by every subgraph that asks about one (Metis,
 * which owns datasets, and Odin, which links concepts to them): they must send the same object, or
 * a policy would allow a dataset in one subgraph and refuse it in the other.
 *
 * Structurally a heimdall-client `ObjectRef`, so that the kit needs no Heimdall dependency.
 */
export interface DatasetObject {
  /** The dataset's URN (`dataos://depot:collection/dataset`). */
  path: string;
  /** Its tags as Heimdall matches them, its domain's tag among them; sorted, no duplicates. */
  tags: string[];
}

/** The tag that puts an object in a domain: policies say `dataos:domain:retail`. */
export const domainTag = (domain: string) => `dataos:domain:${domain}`;

/**
 * Heimdall matches tags of the form `namespace:...:value`: catalog tags without a namespace
 * (`PII.Email`, `Tier.Gold`) are sent as `dataos:tag:<tag>`, so a policy can say
 * `dataos:tag:PII.*`; namespaced ones (`dataos:layer:raw`) go as they are.
 */
export const heimdallTag = (tag: string) => (tag.includes(':') ? tag : `dataos:tag:${tag}`);

/** Catalog tags as Heimdall matches them, sorted and without duplicates (a stable cache key). */
export function heimdallTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map(heimdallTag))].sort();
}

/**
 * A dataset as a Heimdall object: its URN as the path, its tags plus its domain's tag. The domain
 * is its own argument because each side names it differently (Metis's records `domainName`,
 * Odin's view of Metis `domain`); null when the dataset has none.
 */
export function datasetObject(dataset: { urn: string; tags: readonly string[] }, domain: string | null): DatasetObject {
  return { path: dataset.urn, tags: heimdallTags(domain ? [...dataset.tags, domainTag(domain)] : dataset.tags) };
}
