import type { OwnerInput } from './inputs.js';

/**
 * The one write path for owners (datasets at ingest and `setOwners`, resources at upsert): a Cypher
 * subquery that replaces the `OWNED_BY` edges of `node` by the owners in `owners` (a Cypher
 * expression giving a list of `{id, kind, name, email}` maps). A null list leaves the owners as
 * they are; an empty one removes them all. Owners are merged by id (their kind set when created);
 * a null name or email keeps the one already known, since an owner is shared by everything it owns.
 *
 * A unit subquery (`CALL (*)`, no RETURN): the enclosing query keeps its rows whatever the list holds.
 */
export function replaceOwners(node: string, owners: string): string {
  return `CALL (*) {
    WITH ${node}, ${owners} AS ownerList WHERE ownerList IS NOT NULL
    OPTIONAL MATCH (${node})-[previous:OWNED_BY]->() DELETE previous
    WITH DISTINCT ${node}, ownerList UNWIND ownerList AS o
    MERGE (owner:Owner {id: o.id}) ON CREATE SET owner.kind = o.kind
    SET owner.name = coalesce(o.name, owner.name), owner.email = coalesce(o.email, owner.email)
    MERGE (${node})-[:OWNED_BY]->(owner)
  }`;
}

/** Owners as Cypher parameters: null (leave as they are) when not given. */
export const ownerRows = (owners: readonly OwnerInput[] | null | undefined) => owners?.map((o) => ({ ...o })) ?? null;

/**
 * A dataset's owner ids as one indexed field, so that a search by owner runs inside Lucene; its
 * columns carry a copy, which every write of a dataset's owners keeps in sync.
 */
export const ftOwners = (owners: readonly OwnerInput[]) => owners.map((o) => o.id).join(' ');
