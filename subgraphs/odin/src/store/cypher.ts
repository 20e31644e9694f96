import type { Neo4jStore } from '@dataos/stores';
import { int, type ManagedTransaction } from 'neo4j-driver';
import type { Lit, Ref } from '../rdf/model.js';
import type { AnnotationRecord, ConceptRecord, LangString } from './records.js';

/** A concept node as a map: the one projection every query uses. */
export const conceptMap = (v: string) =>
  `${v} {.iri, label: coalesce(${v}.label, ${v}.iri), .definition, ontologyIri: ${v}.ontology, ` +
  `types: coalesce(${v}.types, []), lits: coalesce(${v}.lits, '[]'), refs: coalesce(${v}.refs, '[]')}`;

export interface RawConcept {
  iri: string;
  label: string;
  definition: string | null;
  ontologyIri: string | null;
  types: string[];
  lits: string;
  refs: string;
}

export const toConcept = (r: RawConcept): ConceptRecord => ({
  ...r,
  lits: JSON.parse(r.lits) as Lit[],
  refs: JSON.parse(r.refs) as Ref[],
});

export const annotationsOf = (lits: readonly Lit[], refs: readonly Ref[]): AnnotationRecord[] => [
  ...lits.map((l) => ({ predicate: l.p, value: l.v, language: l.l ?? null, datatype: l.d ?? null, iri: false })),
  ...refs.map(([predicate, value]) => ({ predicate, value, language: null, datatype: null, iri: true })),
];

export const langStrings = (lits: readonly Lit[], predicates: readonly string[]): LangString[] => {
  const out: LangString[] = [];
  for (const p of predicates) for (const l of lits) if (l.p === p) out.push({ value: l.v, language: l.l ?? null });
  return out;
};

/** Hierarchy relationship types, from the GraphQL enum (whitelisted: they are spliced into Cypher). */
export function hierarchyTypes(relations: readonly string[] | null | undefined): string {
  const allowed = new Set(['SUB_CLASS_OF', 'BROADER']);
  const chosen = [...new Set(relations ?? ['SUB_CLASS_OF', 'BROADER'])].filter((r) => allowed.has(r));
  return chosen.length ? chosen.join('|') : 'SUB_CLASS_OF|BROADER';
}

/** A Cypher integer parameter (LIMIT, SKIP): JS numbers travel as floats. */
export const cypherInt = (n: number) => int(Math.trunc(n));

/** Runs Cypher for reads, with plain JS values (the driver is created with disableLosslessIntegers). */
export async function readQuery<T>(
  neo4j: Neo4jStore,
  cypher: string,
  params: Record<string, unknown> = {},
): Promise<T[]> {
  const { records } = await neo4j.driver.executeQuery(cypher, params, { database: neo4j.database, routing: 'READ' });
  return records.map((r) => r.toObject() as T);
}

export async function txQuery<T>(
  tx: ManagedTransaction,
  cypher: string,
  params: Record<string, unknown> = {},
): Promise<T[]> {
  const result = await tx.run(cypher, params);
  return result.records.map((r) => r.toObject() as T);
}

/** Finds nodes by IRI across Odin's labels (each label has its own unique index). */
export const NODE_BY_IRI = (iriVar: string) => `CALL (${iriVar}) {
    MATCH (n:Concept {iri: ${iriVar}}) RETURN n, 'Concept' AS kind
    UNION MATCH (n:Property {iri: ${iriVar}}) RETURN n, 'Property' AS kind
    UNION MATCH (n:Instance {iri: ${iriVar}}) RETURN n, 'Instance' AS kind
    UNION MATCH (n:Ontology {iri: ${iriVar}}) RETURN n, 'Ontology' AS kind
  }`;
