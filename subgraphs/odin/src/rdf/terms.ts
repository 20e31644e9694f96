/** The RDF, RDFS, OWL, SKOS and XSD terms Odin's model understands. */
export const NS = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  owl: 'http://www.w3.org/2002/07/owl#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  dcterms: 'http://purl.org/dc/terms/',
} as const;

export const RDF_TYPE = `${NS.rdf}type`;
export const RDFS_SUBCLASS_OF = `${NS.rdfs}subClassOf`;
export const RDFS_LABEL = `${NS.rdfs}label`;
export const RDFS_COMMENT = `${NS.rdfs}comment`;
export const RDFS_DOMAIN = `${NS.rdfs}domain`;
export const RDFS_RANGE = `${NS.rdfs}range`;
export const RDFS_SUBPROPERTY_OF = `${NS.rdfs}subPropertyOf`;
export const SKOS_PREF_LABEL = `${NS.skos}prefLabel`;
export const SKOS_ALT_LABEL = `${NS.skos}altLabel`;
export const SKOS_DEFINITION = `${NS.skos}definition`;
export const SKOS_BROADER = `${NS.skos}broader`;
export const SKOS_NARROWER = `${NS.skos}narrower`;
export const SKOS_RELATED = `${NS.skos}related`;
export const SKOS_CONCEPT_SCHEME = `${NS.skos}ConceptScheme`;
export const OWL_ONTOLOGY = `${NS.owl}Ontology`;
export const OWL_VERSION_INFO = `${NS.owl}versionInfo`;
export const DCTERMS_TITLE = `${NS.dcterms}title`;
export const XSD_STRING = `${NS.xsd}string`;
export const RDF_LANG_STRING = `${NS.rdf}langString`;

/** rdf:type objects that make a subject a concept. */
export const CONCEPT_TYPES: ReadonlySet<string> = new Set([`${NS.rdfs}Class`, `${NS.owl}Class`, `${NS.skos}Concept`]);

/** rdf:type objects that make a subject a property. */
export const PROPERTY_TYPES: ReadonlySet<string> = new Set([
  `${NS.rdf}Property`,
  `${NS.owl}ObjectProperty`,
  `${NS.owl}DatatypeProperty`,
  `${NS.owl}AnnotationProperty`,
  `${NS.owl}OntologyProperty`,
  `${NS.owl}FunctionalProperty`,
  `${NS.owl}InverseFunctionalProperty`,
  `${NS.owl}TransitiveProperty`,
  `${NS.owl}SymmetricProperty`,
  `${NS.owl}AsymmetricProperty`,
  `${NS.owl}ReflexiveProperty`,
  `${NS.owl}IrreflexiveProperty`,
]);

/**
 * Types from the W3C vocabularies are kept on the node as declared types; any other rdf:type
 * object is a concept of the graph and becomes an INSTANCE_OF edge.
 */
export const isBuiltinType = (iri: string) =>
  iri.startsWith(NS.rdf) ||
  iri.startsWith(NS.rdfs) ||
  iri.startsWith(NS.owl) ||
  iri.startsWith(NS.skos) ||
  iri.startsWith(NS.xsd);

/** rdfs:range objects that are datatypes, not classes. */
export const isDatatype = (iri: string) =>
  iri.startsWith(NS.xsd) ||
  [
    `${NS.rdfs}Literal`,
    `${NS.rdf}langString`,
    `${NS.rdf}PlainLiteral`,
    `${NS.rdf}XMLLiteral`,
    `${NS.rdf}HTML`,
    `${NS.rdf}JSON`,
  ].includes(iri);

/** Predicates whose literal values are a resource's labels, alternative labels and definitions. */
export const LABEL_PREDICATES = [SKOS_PREF_LABEL, RDFS_LABEL];
export const ALT_LABEL_PREDICATES = [SKOS_ALT_LABEL];
export const DEFINITION_PREDICATES = [SKOS_DEFINITION, RDFS_COMMENT];

/** The part of an IRI after its last `#`, `/` or `:`. */
export function localName(iri: string): string {
  const cut = Math.max(iri.lastIndexOf('#'), iri.lastIndexOf('/'), iri.lastIndexOf(':'));
  const name = cut >= 0 ? iri.slice(cut + 1) : iri;
  return name || iri;
}

/** Default prefixes for exports (a document's own prefixes win). */
export const DEFAULT_PREFIXES: Record<string, string> = {
  rdf: NS.rdf,
  rdfs: NS.rdfs,
  owl: NS.owl,
  skos: NS.skos,
  xsd: NS.xsd,
  dcterms: NS.dcterms,
};
