/** Deep links of the Ontologies pages: IRIs hold `/`, `#` and `:`, so they travel as one encoded segment. */
export const ontologiesPath = '/ontologies';
export const ontologyPath = (iri: string, reveal?: string) =>
  `/ontologies/o/${encodeURIComponent(iri)}${reveal ? `?concept=${encodeURIComponent(reveal)}` : ''}`;
export const conceptPath = (iri: string) => `/ontologies/concepts/${encodeURIComponent(iri)}`;
export const importPath = (iri?: string) => `/ontologies/import${iri ? `?iri=${encodeURIComponent(iri)}` : ''}`;
