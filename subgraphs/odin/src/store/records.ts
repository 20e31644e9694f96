import type { Lit, Ref } from '../rdf/model.js';

/** What the Concept resolvers receive (codegen maps the GraphQL type `Concept` to it). */
export interface ConceptRecord {
  iri: string;
  /** Preferred label in English (else untagged, else any), else the IRI's local name. */
  label: string;
  definition: string | null;
  /** The ontology that defines it; null for a concept only referred to. */
  ontologyIri: string | null;
  types: string[];
  lits: Lit[];
  refs: Ref[];
}

export interface LangString {
  value: string;
  language: string | null;
}

export interface AnnotationRecord {
  predicate: string;
  value: string;
  language: string | null;
  datatype: string | null;
  iri: boolean;
}

export type OntologyResourceKind = 'ONTOLOGY' | 'CONCEPT' | 'PROPERTY' | 'INSTANCE';

export interface RelationRecord {
  predicate: string;
  direction: 'OUTGOING' | 'INCOMING';
  targetIri: string;
  targetKind: OntologyResourceKind;
  concept: ConceptRecord | null;
  ontology: string | null;
}

export interface OntologyRecord {
  iri: string;
  name: string;
  namespace: string;
  version: string | null;
  label: string | null;
  comment: string | null;
  prefixes: { prefix: string; namespace: string }[];
  conceptCount: number;
  propertyCount: number;
  instanceCount: number;
  tripleCount: number;
  importedAt: string | null;
  importedBy: string | null;
}

export type PropertyKind = 'OBJECT' | 'DATATYPE' | 'ANNOTATION' | 'PROPERTY';

export interface PropertyRecord {
  iri: string;
  label: string;
  labels: LangString[];
  definition: string | null;
  kind: PropertyKind;
  types: string[];
  domains: ConceptRecord[];
  ranges: ConceptRecord[];
  datatypes: string[];
  annotations: AnnotationRecord[];
}

export interface InstanceRecord {
  iri: string;
  label: string;
  labels: LangString[];
  types: ConceptRecord[];
  relations: RelationRecord[];
  annotations: AnnotationRecord[];
}

export interface ColumnRef {
  datasetUrn: string;
  name: string;
}

export interface HoldingRecord {
  dataset: { urn: string };
  concepts: ConceptRecord[];
  columns: ColumnRef[];
}

export interface ConceptAtDistanceRecord {
  concept: ConceptRecord;
  distance: number;
}

export type ConceptRelationKind = 'SUB_CLASS_OF' | 'BROADER' | 'RELATED' | 'CUSTOM';

export interface PathRecord {
  length: number;
  concepts: ConceptRecord[];
  steps: {
    from: ConceptRecord;
    to: ConceptRecord;
    relation: ConceptRelationKind;
    predicate: string;
    forward: boolean;
  }[];
}
