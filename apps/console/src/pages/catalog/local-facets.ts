import type { ConsoleSearchQuery } from '@dataos/client';

export type SearchHit = ConsoleSearchQuery['search']['edges'][number]['node'];

export interface FacetValue {
  value: string;
  label: string;
  count: number;
}

function count(into: Map<string, FacetValue>, value: string, label = value): void {
  const existing = into.get(value);
  if (existing) existing.count += 1;
  else into.set(value, { value, label, count: 1 });
}

const byCount = (values: Iterable<FacetValue>) =>
  [...values].sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));

/**
 * Owners and glossary terms of the hits loaded so far. The API counts types, domains, sources and
 * tags over every hit; it has no counts for these two, so the console counts what it has shown.
 */
export function localFacets(hits: readonly SearchHit[]): { owners: FacetValue[]; terms: FacetValue[] } {
  const owners = new Map<string, FacetValue>();
  const terms = new Map<string, FacetValue>();
  for (const hit of hits) {
    const node = hit.node;
    if (node.__typename === 'Dataset') {
      for (const owner of node.owners) count(owners, owner.id, owner.name ?? owner.id);
    }
    if (node.__typename === 'Dataset' || node.__typename === 'Column') {
      for (const term of node.glossaryTerms) count(terms, term.name);
    }
  }
  return { owners: byCount(owners.values()), terms: byCount(terms.values()) };
}

/** Keeps the hits that carry the glossary term (datasets and columns; a term hit matches itself). */
export function withTerm(hits: readonly SearchHit[], term: string | undefined): SearchHit[] {
  if (!term) return [...hits];
  return hits.filter(({ node }) => {
    if (node.__typename === 'GlossaryTerm') return node.term === term;
    return node.glossaryTerms.some((t) => t.name === term);
  });
}
