import type { Neo4jStore } from '@dataos/stores';
import { EDGE_TYPES, labelOf, definitionOf, type Lit, type Ref } from '../rdf/model.js';
import { LABEL_PREDICATES, NS } from '../rdf/terms.js';
import {
  NODE_BY_IRI,
  annotationsOf,
  conceptMap,
  cypherInt,
  hierarchyTypes,
  langStrings,
  readQuery,
  toConcept,
  type RawConcept,
} from './cypher.js';
import type {
  ColumnRef,
  ConceptAtDistanceRecord,
  ConceptRecord,
  ConceptRelationKind,
  HoldingRecord,
  InstanceRecord,
  OntologyRecord,
  PathRecord,
  PropertyKind,
  PropertyRecord,
  RelationRecord,
} from './records.js';

export type { ConceptRecord } from './records.js';

/** Deepest hierarchy walk (subclass closure, ancestors, descendants). */
export const MAX_DEPTH = 20;
export const MAX_PATH = 10;

export type LinkScope = 'DATASET' | 'COLUMN' | 'ANY';

const ONTOLOGY_FIELDS = `o.iri AS iri, coalesce(o.name, o.iri) AS name, coalesce(o.namespace, o.iri) AS namespace,
  o.version AS version, o.label AS label, o.comment AS comment, coalesce(o.prefixes, '{}') AS prefixes,
  coalesce(o.tripleCount, 0) AS tripleCount, toString(o.importedAt) AS importedAt, o.importedBy AS importedBy,
  COUNT { MATCH (c:Concept) WHERE c.ontology = o.iri } AS conceptCount,
  COUNT { MATCH (p:Property) WHERE p.ontology = o.iri } AS propertyCount,
  COUNT { MATCH (i:Instance) WHERE i.ontology = o.iri } AS instanceCount`;

type RawOntology = Omit<OntologyRecord, 'prefixes'> & { prefixes: string };

const toOntology = (r: RawOntology): OntologyRecord => ({
  ...r,
  prefixes: Object.entries(JSON.parse(r.prefixes) as Record<string, string>)
    .map(([prefix, namespace]) => ({ prefix, namespace }))
    .sort((a, b) => a.prefix.localeCompare(b.prefix)),
});

const relationMap = (r: string, x: string, direction: 'OUTGOING' | 'INCOMING') =>
  `{predicate: ${r}.predicate, direction: '${direction}', targetIri: ${x}.iri,
    targetKind: toUpper([l IN labels(${x}) WHERE l IN ['Ontology', 'Concept', 'Property', 'Instance']][0]),
    ontology: ${r}.ontology, concept: CASE WHEN ${x}:Concept THEN ${conceptMap(x)} END}`;

type RawRelation = Omit<RelationRecord, 'concept'> & { concept: RawConcept | null };
const toRelation = (r: RawRelation): RelationRecord => ({ ...r, concept: r.concept ? toConcept(r.concept) : null });

const PROPERTY_KINDS: [string, PropertyKind][] = [
  [`${NS.owl}ObjectProperty`, 'OBJECT'],
  [`${NS.owl}DatatypeProperty`, 'DATATYPE'],
  [`${NS.owl}AnnotationProperty`, 'ANNOTATION'],
];

interface RawResource {
  iri: string;
  types: string[];
  lits: string;
  refs: string;
}

function resourceBasics(raw: RawResource) {
  const lits = JSON.parse(raw.lits) as Lit[];
  const refs = JSON.parse(raw.refs) as Ref[];
  return {
    iri: raw.iri,
    label: labelOf(raw.iri, lits),
    labels: langStrings(lits, LABEL_PREDICATES),
    definition: definitionOf(lits),
    annotations: annotationsOf(lits, refs),
    refs,
  };
}

const PROPERTY_RETURN = `p.iri AS iri, coalesce(p.types, []) AS types, coalesce(p.lits, '[]') AS lits, coalesce(p.refs, '[]') AS refs,
  [(p)-[:DOMAIN]->(c) | ${conceptMap('c')}] AS domains, [(p)-[:RANGE]->(c) | ${conceptMap('c')}] AS ranges`;

type RawProperty = RawResource & { domains: RawConcept[]; ranges: RawConcept[] };

function toProperty(raw: RawProperty): PropertyRecord {
  const { refs, ...basics } = resourceBasics(raw);
  return {
    ...basics,
    kind: PROPERTY_KINDS.find(([t]) => raw.types.includes(t))?.[1] ?? 'PROPERTY',
    types: raw.types,
    domains: uniqueConcepts(raw.domains.map(toConcept)),
    ranges: uniqueConcepts(raw.ranges.map(toConcept)),
    datatypes: refs.filter(([p]) => p === `${NS.rdfs}range`).map(([, o]) => o),
  };
}

const INSTANCE_RETURN = `i.iri AS iri, coalesce(i.types, []) AS types, coalesce(i.lits, '[]') AS lits, coalesce(i.refs, '[]') AS refs,
  [(i)-[:INSTANCE_OF]->(c) | ${conceptMap('c')}] AS concepts,
  [(i)-[r:RELATION]->(x) | ${relationMap('r', 'x', 'OUTGOING')}] + [(i)<-[r:RELATION]-(x) | ${relationMap('r', 'x', 'INCOMING')}] AS relations`;

type RawInstance = RawResource & { concepts: RawConcept[]; relations: RawRelation[] };

function toInstance(raw: RawInstance): InstanceRecord {
  const { refs: _refs, definition: _definition, ...basics } = resourceBasics(raw);
  return { ...basics, types: uniqueConcepts(raw.concepts.map(toConcept)), relations: raw.relations.map(toRelation) };
}

function uniqueConcepts(concepts: ConceptRecord[]): ConceptRecord[] {
  const seen = new Set<string>();
  return concepts.filter((c) => !seen.has(c.iri) && seen.add(c.iri));
}

const clampFirst = (first: number | null | undefined, max = 500) => Math.max(1, Math.min(first ?? 50, max));
const closure = (relations: string, depth: number) => `${relations}*0..${depth}`;

/**
 * Reads of the knowledge graph. Odin's labels (Ontology, Concept, Property, Instance,
 * LinkedDataset, LinkedColumn) never touch Metis's: links to Metis datasets and columns are kept
 * by URN, so the two can live in separate databases in production.
 */
export class OntologyStore {
  constructor(readonly neo4j: Neo4jStore) {}

  /** Idempotent: constraints and indexes Odin relies on (safe when several replicas start at once). */
  async migrate(): Promise<void> {
    const statements = [
      'CREATE CONSTRAINT odin_concept_iri IF NOT EXISTS FOR (n:Concept) REQUIRE n.iri IS UNIQUE',
      'CREATE CONSTRAINT odin_property_iri IF NOT EXISTS FOR (n:Property) REQUIRE n.iri IS UNIQUE',
      'CREATE CONSTRAINT odin_instance_iri IF NOT EXISTS FOR (n:Instance) REQUIRE n.iri IS UNIQUE',
      'CREATE CONSTRAINT odin_ontology_iri IF NOT EXISTS FOR (n:Ontology) REQUIRE n.iri IS UNIQUE',
      'CREATE CONSTRAINT odin_linked_dataset_urn IF NOT EXISTS FOR (d:LinkedDataset) REQUIRE d.urn IS UNIQUE',
      'CREATE CONSTRAINT odin_linked_column_key IF NOT EXISTS FOR (c:LinkedColumn) REQUIRE (c.datasetUrn, c.name) IS UNIQUE',
      'CREATE INDEX odin_linked_column_dataset IF NOT EXISTS FOR (c:LinkedColumn) ON (c.datasetUrn)',
      'CREATE INDEX odin_concept_ontology IF NOT EXISTS FOR (n:Concept) ON (n.ontology)',
      'CREATE INDEX odin_property_ontology IF NOT EXISTS FOR (n:Property) ON (n.ontology)',
      'CREATE INDEX odin_instance_ontology IF NOT EXISTS FOR (n:Instance) ON (n.ontology)',
      'CREATE TEXT INDEX odin_concept_search IF NOT EXISTS FOR (n:Concept) ON (n.searchText)',
      ...EDGE_TYPES.map(
        (t) => `CREATE INDEX odin_rel_${t.toLowerCase()}_ontology IF NOT EXISTS FOR ()-[r:${t}]-() ON (r.ontology)`,
      ),
    ];
    for (const statement of statements) {
      try {
        await this.neo4j.driver.executeQuery(statement, {}, { database: this.neo4j.database });
      } catch (error) {
        // Another replica created the same rule at the same moment.
        if (
          !/EquivalentSchemaRuleAlreadyExists|already exists/i.test(
            `${(error as { code?: string }).code} ${(error as Error).message}`,
          )
        )
          throw error;
      }
    }
    // Concepts written before labels were indexed for search.
    await this.neo4j.driver.executeQuery(
      `MATCH (c:Concept) WHERE c.searchText IS NULL SET c.searchText = toLower(coalesce(c.label, c.iri))`,
      {},
      { database: this.neo4j.database },
    );
  }

  // ---------------------------------------------------------------- ontologies

  async ontologies(iris?: readonly string[]): Promise<OntologyRecord[]> {
    const rows = await readQuery<RawOntology>(
      this.neo4j,
      iris
        ? `UNWIND $iris AS iri MATCH (o:Ontology {iri: iri}) WHERE o.ontology = o.iri RETURN ${ONTOLOGY_FIELDS}`
        : `MATCH (o:Ontology) WHERE o.ontology = o.iri RETURN ${ONTOLOGY_FIELDS} ORDER BY name, iri`,
      { iris: iris ?? null },
    );
    return rows.map(toOntology);
  }

  /** The ontology owning each of these resources (concepts, properties, instances). */
  ontologyIrisOf(iris: readonly string[]): Promise<{ iri: string; ontology: string | null }[]> {
    return readQuery(this.neo4j, `UNWIND $iris AS iri ${NODE_BY_IRI('iri')} RETURN iri, n.ontology AS ontology`, {
      iris,
    });
  }

  // ---------------------------------------------------------------- concepts

  async conceptsByIri(iris: readonly string[]): Promise<ConceptRecord[]> {
    const rows = await readQuery<{ c: RawConcept }>(
      this.neo4j,
      `UNWIND $iris AS iri MATCH (c:Concept {iri: iri}) RETURN ${conceptMap('c')} AS c`,
      { iris },
    );
    return rows.map((r) => toConcept(r.c));
  }

  /** Label search: CONTAINS on the lower-cased labels (text index), exact and prefix matches first. */
  async search(
    text: string | null,
    options: { ontology?: string | null; first?: number | null } = {},
  ): Promise<ConceptRecord[]> {
    const q = text?.trim().toLowerCase() || null;
    const rows = await readQuery<{ c: RawConcept }>(
      this.neo4j,
      `MATCH (c:Concept)
       WHERE ($q IS NULL OR c.searchText CONTAINS $q) AND ($ontology IS NULL OR c.ontology = $ontology)
       WITH c, CASE WHEN $q IS NULL THEN 0
                    WHEN $q IN split(c.searchText, '\n') THEN 0
                    WHEN c.searchText STARTS WITH $q OR c.searchText CONTAINS ('\n' + $q) THEN 1
                    ELSE 2 END AS rank
       RETURN ${conceptMap('c')} AS c ORDER BY rank, toLower(c.label), c.iri LIMIT $first`,
      { q, ontology: options.ontology ?? null, first: cypherInt(clampFirst(options.first)) },
    );
    return rows.map((r) => toConcept(r.c));
  }

  /** Direct neighbours of many concepts at once. */
  async neighbours(
    iris: readonly string[],
    relation: 'superClasses' | 'subClasses' | 'broader' | 'narrower' | 'related',
  ): Promise<Map<string, ConceptRecord[]>> {
    const pattern = {
      superClasses: '(c)-[:SUB_CLASS_OF]->(x:Concept)',
      subClasses: '(c)<-[:SUB_CLASS_OF]-(x:Concept)',
      broader: '(c)-[:BROADER]->(x:Concept)',
      narrower: '(c)<-[:BROADER]-(x:Concept)',
      related: '(c)-[:RELATED]-(x:Concept)',
    }[relation];
    const rows = await readQuery<{ iri: string; x: RawConcept }>(
      this.neo4j,
      `UNWIND $iris AS iri MATCH (c:Concept {iri: iri}) MATCH ${pattern}
       WITH DISTINCT iri, x RETURN iri, ${conceptMap('x')} AS x ORDER BY toLower(x.label), x.iri`,
      { iris },
    );
    return groupBy(
      rows,
      (r) => r.iri,
      (r) => toConcept(r.x),
    );
  }

  /** Ancestors (`up`) or descendants (`down`) with their distance: breadth-first, bounded. */
  async hierarchy(
    iri: string,
    direction: 'up' | 'down',
    maxDepth: number,
    relations?: readonly string[] | null,
  ): Promise<ConceptAtDistanceRecord[]> {
    return (await this.hierarchyOf([iri], direction, maxDepth, relations)).get(iri) ?? [];
  }

  /** `hierarchy` for many concepts in one query (UNWIND, one shortest-path search per concept). */
  async hierarchyOf(
    iris: readonly string[],
    direction: 'up' | 'down',
    maxDepth: number,
    relations?: readonly string[] | null,
  ): Promise<Map<string, ConceptAtDistanceRecord[]>> {
    const depth = Math.max(1, Math.min(Math.trunc(maxDepth), MAX_DEPTH));
    const types = hierarchyTypes(relations);
    const step = direction === 'up' ? `-[:${types}]->` : `<-[:${types}]-`;
    const rows = await readQuery<{ iri: string; a: RawConcept; distance: number }>(
      this.neo4j,
      `UNWIND $iris AS iri
       MATCH (c:Concept {iri: iri})
       CALL (c) {
         MATCH p = ANY SHORTEST (c)${step}{1,${depth}}(a:Concept)
         WHERE a <> c
         RETURN a, length(p) AS distance
       }
       RETURN iri, ${conceptMap('a')} AS a, distance ORDER BY iri, distance, toLower(a.label), a.iri`,
      { iris: [...new Set(iris)] },
    );
    return groupBy(
      rows,
      (r) => r.iri,
      (r) => ({ concept: toConcept(r.a), distance: r.distance }),
    );
  }

  async relationsOf(iris: readonly string[]): Promise<Map<string, RelationRecord[]>> {
    const rows = await readQuery<{ iri: string; relation: RawRelation }>(
      this.neo4j,
      `UNWIND $iris AS iri MATCH (c:Concept {iri: iri})
       CALL (c) {
         MATCH (c)-[r:RELATION]->(x) RETURN ${relationMap('r', 'x', 'OUTGOING')} AS relation
         UNION ALL
         MATCH (c)<-[r:RELATION]-(x) RETURN ${relationMap('r', 'x', 'INCOMING')} AS relation
       }
       RETURN iri, relation ORDER BY relation.predicate, relation.targetIri`,
      { iris },
    );
    return groupBy(
      rows,
      (r) => r.iri,
      (r) => toRelation(r.relation),
    );
  }

  async propertiesWithDomain(iris: readonly string[]): Promise<Map<string, PropertyRecord[]>> {
    const rows = await readQuery<RawProperty & { domainIri: string }>(
      this.neo4j,
      `UNWIND $iris AS domainIri MATCH (:Concept {iri: domainIri})<-[:DOMAIN]-(p:Property)
       WITH DISTINCT domainIri, p RETURN domainIri, ${PROPERTY_RETURN} ORDER BY toLower(p.label), p.iri`,
      { iris },
    );
    return groupBy(rows, (r) => r.domainIri, toProperty);
  }

  // ---------------------------------------------------------------- properties and instances

  async properties(filter: {
    iris?: readonly string[];
    ontology?: string | null;
    search?: string | null;
    first?: number | null;
  }): Promise<PropertyRecord[]> {
    const rows = await readQuery<RawProperty>(
      this.neo4j,
      filter.iris
        ? `UNWIND $iris AS iri MATCH (p:Property {iri: iri}) RETURN ${PROPERTY_RETURN}`
        : `MATCH (p:Property) WHERE ($ontology IS NULL OR p.ontology = $ontology)
             AND ($q IS NULL OR toLower(coalesce(p.searchText, p.label, p.iri)) CONTAINS $q)
           RETURN ${PROPERTY_RETURN} ORDER BY toLower(p.label), p.iri LIMIT $first`,
      {
        iris: filter.iris ?? null,
        ontology: filter.ontology ?? null,
        q: filter.search?.trim().toLowerCase() || null,
        first: cypherInt(clampFirst(filter.first)),
      },
    );
    return rows.map(toProperty);
  }

  async instances(filter: {
    iris?: readonly string[];
    ontology?: string | null;
    type?: string | null;
    includeSubconcepts?: boolean | null;
    first?: number | null;
  }): Promise<InstanceRecord[]> {
    const depth = filter.includeSubconcepts === false ? 0 : MAX_DEPTH;
    const rows = await readQuery<RawInstance>(
      this.neo4j,
      filter.iris
        ? `UNWIND $iris AS iri MATCH (i:Instance {iri: iri}) RETURN ${INSTANCE_RETURN}`
        : filter.type
          ? `MATCH (t:Concept {iri: $type})
             CALL (t) { MATCH (x:Concept)-[:${closure('SUB_CLASS_OF|BROADER', depth)}]->(t) RETURN DISTINCT x }
             MATCH (i:Instance)-[:INSTANCE_OF]->(x) WHERE $ontology IS NULL OR i.ontology = $ontology
             WITH DISTINCT i RETURN ${INSTANCE_RETURN} ORDER BY toLower(i.label), i.iri LIMIT $first`
          : `MATCH (i:Instance) WHERE $ontology IS NULL OR i.ontology = $ontology
             RETURN ${INSTANCE_RETURN} ORDER BY toLower(i.label), i.iri LIMIT $first`,
      {
        iris: filter.iris ?? null,
        ontology: filter.ontology ?? null,
        type: filter.type ?? null,
        first: cypherInt(clampFirst(filter.first)),
      },
    );
    return rows.map(toInstance);
  }

  /** Instances of each concept (and of its subconcepts when asked), at most `first` per concept. */
  async instancesOfTypes(
    types: readonly string[],
    includeSubconcepts: boolean,
    first = 500,
  ): Promise<Map<string, InstanceRecord[]>> {
    const depth = includeSubconcepts ? MAX_DEPTH : 0;
    const rows = await readQuery<RawInstance & { type: string }>(
      this.neo4j,
      `UNWIND $types AS type
       MATCH (t:Concept {iri: type})
       CALL (t) {
         CALL (t) { MATCH (x:Concept)-[:${closure('SUB_CLASS_OF|BROADER', depth)}]->(t) RETURN DISTINCT x }
         MATCH (i:Instance)-[:INSTANCE_OF]->(x)
         WITH DISTINCT i RETURN i ORDER BY toLower(i.label), i.iri LIMIT $first
       }
       RETURN type, ${INSTANCE_RETURN}`,
      { types: [...new Set(types)], first: cypherInt(clampFirst(first)) },
    );
    return groupBy(rows, (r) => r.type, toInstance);
  }

  // ---------------------------------------------------------------- paths

  async shortestPath(
    from: string,
    to: string,
    maxLength: number,
    relations: readonly ConceptRelationKind[],
  ): Promise<PathRecord | null> {
    const concepts = await this.conceptsByIri([from, to]);
    const a = concepts.find((c) => c.iri === from);
    const b = concepts.find((c) => c.iri === to);
    if (!a || !b) return null;
    if (from === to) return { length: 0, concepts: [a], steps: [] };
    const types = [...new Set(relations)]
      .map((r) => (r === 'CUSTOM' ? 'RELATION' : r))
      .filter((t) => ['SUB_CLASS_OF', 'BROADER', 'RELATED', 'RELATION'].includes(t));
    if (!types.length) return null;
    const hops = Math.max(1, Math.min(Math.trunc(maxLength), MAX_PATH));
    const rows = await readQuery<{
      nodes: RawConcept[];
      rels: { type: string; predicate: string | null; s: string; broader: boolean | null }[];
    }>(
      this.neo4j,
      `MATCH (a:Concept {iri: $from}), (b:Concept {iri: $to})
       MATCH p = ANY SHORTEST (a)(()-[:${types.join('|')}]-(:Concept)){1,${hops}}(b)
       RETURN [n IN nodes(p) | ${conceptMap('n')}] AS nodes,
              [r IN relationships(p) | {type: type(r), predicate: r.predicate, s: startNode(r).iri, broader: r.broader}] AS rels`,
      { from, to },
    );
    const row = rows[0];
    if (!row) return null;
    const nodes = row.nodes.map(toConcept);
    const predicates: Record<string, string> = {
      SUB_CLASS_OF: `${NS.rdfs}subClassOf`,
      RELATED: `${NS.skos}related`,
    };
    return {
      length: row.rels.length,
      concepts: nodes,
      steps: row.rels.map((r, i) => {
        const relation: ConceptRelationKind = r.type === 'RELATION' ? 'CUSTOM' : (r.type as ConceptRelationKind);
        const predicate =
          r.type === 'RELATION'
            ? r.predicate!
            : r.type === 'BROADER'
              ? `${NS.skos}${r.broader === false ? 'narrower' : 'broader'}`
              : predicates[r.type]!;
        return { from: nodes[i]!, to: nodes[i + 1]!, relation, predicate, forward: r.s === nodes[i]!.iri };
      }),
    };
  }

  // ---------------------------------------------------------------- links to Metis datasets and columns

  /**
   * Datasets holding a concept (or one below it, through rdfs:subClassOf and skos:broader, at most
   * 20 levels), linked directly or through a column; unfiltered: callers filter through Metis.
   */
  async datasetsHolding(
    iri: string,
    options: { includeSubconcepts: boolean; via: LinkScope; limit: number },
  ): Promise<HoldingRecord[]> {
    return (await this.datasetsHoldingEach([iri], options)).get(iri) ?? [];
  }

  /** `datasetsHolding` for many concepts in one query, `limit` datasets per concept. */
  async datasetsHoldingEach(
    iris: readonly string[],
    options: { includeSubconcepts: boolean; via: LinkScope; limit: number },
  ): Promise<Map<string, HoldingRecord[]>> {
    const depth = options.includeSubconcepts ? MAX_DEPTH : 0;
    const rows = await readQuery<{ iri: string; urn: string; concepts: RawConcept[]; columns: string[] }>(
      this.neo4j,
      `UNWIND $iris AS iri
       MATCH (root:Concept {iri: iri})
       CALL (root) {
         CALL (root) { MATCH (c:Concept)-[:${closure('SUB_CLASS_OF|BROADER', depth)}]->(root) RETURN DISTINCT c }
         MATCH (c)-[:DESCRIBES]->(t)
         WHERE (t:LinkedDataset AND $via <> 'COLUMN') OR (t:LinkedColumn AND $via <> 'DATASET')
         WITH coalesce(t.urn, t.datasetUrn) AS urn, c, CASE WHEN t:LinkedColumn THEN t.name END AS column
         WITH urn, collect(DISTINCT c) AS cs, collect(DISTINCT column) AS columns
         RETURN urn, cs, columns ORDER BY urn LIMIT $limit
       }
       RETURN iri, urn, [c IN cs | ${conceptMap('c')}] AS concepts, columns ORDER BY iri, urn`,
      { iris: [...new Set(iris)], via: options.via, limit: cypherInt(options.limit) },
    );
    return groupBy(
      rows,
      (r) => r.iri,
      (r) => ({
        dataset: { urn: r.urn },
        concepts: r.concepts.map(toConcept).sort((x, y) => x.label.localeCompare(y.label)),
        columns: [...r.columns].sort().map((name) => ({ datasetUrn: r.urn, name })),
      }),
    );
  }

  /** Columns holding a concept (or one below it), unfiltered. */
  async columnsHolding(iri: string, includeSubconcepts: boolean): Promise<ColumnRef[]> {
    return (await this.columnsHoldingEach([iri], includeSubconcepts)).get(iri) ?? [];
  }

  /** `columnsHolding` for many concepts in one query, at most 5,000 columns per concept. */
  async columnsHoldingEach(iris: readonly string[], includeSubconcepts: boolean): Promise<Map<string, ColumnRef[]>> {
    const depth = includeSubconcepts ? MAX_DEPTH : 0;
    const rows = await readQuery<ColumnRef & { iri: string }>(
      this.neo4j,
      `UNWIND $iris AS iri
       MATCH (root:Concept {iri: iri})
       CALL (root) {
         CALL (root) { MATCH (c:Concept)-[:${closure('SUB_CLASS_OF|BROADER', depth)}]->(root) RETURN DISTINCT c }
         MATCH (c)-[:DESCRIBES]->(t:LinkedColumn)
         WITH DISTINCT t.datasetUrn AS datasetUrn, t.name AS name
         RETURN datasetUrn, name ORDER BY datasetUrn, name LIMIT 5000
       }
       RETURN iri, datasetUrn, name ORDER BY iri, datasetUrn, name`,
      { iris: [...new Set(iris)] },
    );
    return groupBy(
      rows,
      (r) => r.iri,
      ({ datasetUrn, name }) => ({ datasetUrn, name }),
    );
  }

  /** Concepts linked to each dataset (and to its columns when asked), by label. */
  async conceptsOfDatasets(urns: readonly string[], includeColumns: boolean): Promise<Map<string, ConceptRecord[]>> {
    const rows = await readQuery<{ urn: string; c: RawConcept }>(
      this.neo4j,
      `UNWIND $urns AS urn
       CALL (urn) {
         MATCH (c:Concept)-[:DESCRIBES]->(:LinkedDataset {urn: urn}) RETURN c
         UNION
         MATCH (c:Concept)-[:DESCRIBES]->(:LinkedColumn {datasetUrn: urn}) WHERE $includeColumns RETURN c
       }
       RETURN urn, ${conceptMap('c')} AS c ORDER BY toLower(c.label), c.iri`,
      { urns, includeColumns },
    );
    return groupBy(
      rows,
      (r) => r.urn,
      (r) => toConcept(r.c),
    );
  }

  async conceptOfColumns(columns: readonly ColumnRef[]): Promise<Map<string, ConceptRecord>> {
    const rows = await readQuery<{ datasetUrn: string; name: string; c: RawConcept }>(
      this.neo4j,
      `UNWIND $columns AS k
       MATCH (c:Concept)-[:DESCRIBES]->(:LinkedColumn {datasetUrn: k.datasetUrn, name: k.name})
       RETURN k.datasetUrn AS datasetUrn, k.name AS name, ${conceptMap('c')} AS c ORDER BY c.iri`,
      { columns: columns.map(({ datasetUrn, name }) => ({ datasetUrn, name })) },
    );
    const out = new Map<string, ConceptRecord>();
    for (const r of rows) {
      const key = columnKey(r);
      if (!out.has(key)) out.set(key, toConcept(r.c));
    }
    return out;
  }
}

export const columnKey = (c: ColumnRef) => `${c.datasetUrn}\u0000${c.name}`;

function groupBy<R, K, V>(rows: readonly R[], key: (r: R) => K, value: (r: R) => V): Map<K, V[]> {
  const out = new Map<K, V[]>();
  for (const r of rows) {
    const k = key(r);
    let list = out.get(k);
    if (!list) out.set(k, (list = []));
    list.push(value(r));
  }
  return out;
}
