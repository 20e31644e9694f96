import type { Neo4jStore } from '@dataos/stores';

/**
 * A Cypher condition on `n` for the nodes a test run wrote to the shared Neo4j: one of `labels`,
 * with the run's unique id in a key the catalog's nodes carry (urn, datasetUrn, name, id, depot).
 * The id is passed as `$id`.
 */
export const ownNodes = (labels: readonly string[]): string =>
  `(${labels.map((l) => `n:${l}`).join(' OR ')})
  AND (coalesce(n.urn, '') CONTAINS $id OR coalesce(n.datasetUrn, '') CONTAINS $id
       OR coalesce(n.name, '') CONTAINS $id OR coalesce(n.id, '') CONTAINS $id OR coalesce(n.depot, '') CONTAINS $id)`;

/** Deletes the nodes of `labels` this run (`id`) wrote: its own data, never another run's. */
export async function dropOwnNodes(store: Neo4jStore, id: string, labels: readonly string[]): Promise<void> {
  await store.driver.executeQuery(
    `MATCH (n) WHERE ${ownNodes(labels)} DETACH DELETE n`,
    { id },
    { database: store.database },
  );
}
