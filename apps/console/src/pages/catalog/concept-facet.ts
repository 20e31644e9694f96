import type { ConsoleSearchConceptsQuery } from '@dataos/client';
import type { FacetValue, SearchHit } from './local-facets.js';

type ConceptHit = ConsoleSearchConceptsQuery['search']['edges'][number]['node']['node'];
interface Concept {
  iri: string;
  label: string;
}

/** The concepts of the first hits come from Odin apart from the search (see ConsoleSearchConcepts). */
export const CONCEPT_HITS = 40;

/** A dataset hit by URN, a column hit by dataset and name: the same in both answers. */
export function hitKey(node: { __typename?: string; urn?: string; datasetUrn?: string; name?: string }): string | null {
  if (node.__typename === 'Dataset' && node.urn) return node.urn;
  if (node.__typename === 'Column' && node.datasetUrn && node.name) return `${node.datasetUrn}\u0000${node.name}`;
  return null;
}

/** Odin's concepts per hit: a dataset's own and its columns', a column's own. */
export function conceptsByHit(hits: readonly ConceptHit[]): Map<string, Concept[]> {
  const out = new Map<string, Concept[]>();
  for (const node of hits) {
    const key = hitKey(node);
    if (!key) continue;
    if (node.__typename === 'Dataset')
      out.set(
        key,
        node.concepts.map(({ iri, label }) => ({ iri, label })),
      );
    if (node.__typename === 'Column')
      out.set(key, node.concept ? [{ iri: node.concept.iri, label: node.concept.label }] : []);
  }
  return out;
}

/** Counts of hits per concept, most frequent first (each hit counts a concept once). */
export function conceptFacet(concepts: ReadonlyMap<string, readonly Concept[]>): FacetValue[] {
  const counts = new Map<string, FacetValue>();
  for (const list of concepts.values()) {
    for (const c of new Map(list.map((x) => [x.iri, x])).values()) {
      const v = counts.get(c.iri);
      if (v) v.count += 1;
      else counts.set(c.iri, { value: c.iri, label: c.label, count: 1 });
    }
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

/** Keeps the hits holding the concept (a glossary term hit never does); all when none is chosen. */
export function withConcept(
  hits: readonly SearchHit[],
  concepts: ReadonlyMap<string, readonly Concept[]> | undefined,
  iri: string | undefined,
): SearchHit[] {
  if (!iri) return [...hits];
  if (!concepts) return [];
  return hits.filter(({ node }) => {
    const key = hitKey(node);
    return key !== null && (concepts.get(key) ?? []).some((c) => c.iri === iri);
  });
}
