import type { Neo4jStore } from '@dataos/stores';
import type { ManagedTransaction } from 'neo4j-driver';
import { fromNTriples, type ParsedDocument, type RdfFormat, type Triple } from '../rdf/io.js';
import {
  EDGE_TYPES,
  NODE_KINDS,
  planImport,
  triplesOfEdge,
  triplesOfNode,
  type EdgeRow,
  type EdgeType,
  type Existing,
  type ImportPlan,
  type Lit,
  type NodeKind,
  type Ref,
} from '../rdf/model.js';
import { NODE_BY_IRI, txQuery } from './cypher.js';

export interface ImportOptions {
  /** Rows per UNWIND statement (default 2,000). */
  batchSize?: number;
  /** Called after each write batch, inside the transaction (tests use it to fail half way). */
  onBatch?: (batch: number) => void | Promise<void>;
}

export interface ImportHeader {
  iri: string;
  name?: string | null;
  namespace?: string | null;
  version?: string | null;
}

export interface ImportSummary {
  iri: string;
  replaced: boolean;
  triples: number;
  concepts: number;
  properties: number;
  instances: number;
  verbatimTriples: number;
  batches: number;
}

const DEFAULT_BATCH = 2000;

function chunks<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** Every IRI a document mentions as a subject or an IRI object. */
function irisOf(doc: ParsedDocument, ontologyIri: string): string[] {
  const iris = new Set<string>([ontologyIri]);
  for (const t of doc.triples) {
    if (t.s.kind === 'iri') iris.add(t.s.value);
    if (t.o.kind === 'iri') iris.add(t.o.value);
  }
  return [...iris];
}

/**
 * Writes of the knowledge graph. An import runs as ONE Neo4j transaction: the previous import of
 * the ontology is taken apart, the document is planned against what exists, then written in
 * UNWIND batches; any failure (bad input found late, a driver error, a lost connection) rolls the
 * whole transaction back, so readers only ever see the old ontology or the new one.
 */
export class OntologyWriter {
  constructor(private readonly neo4j: Neo4jStore) {}

  private session() {
    return this.neo4j.driver.session({ database: this.neo4j.database });
  }

  async importDocument(
    doc: ParsedDocument,
    header: ImportHeader,
    meta: { importedBy: string | null; format: RdfFormat },
    options: ImportOptions = {},
  ): Promise<ImportSummary> {
    const size = Math.max(1, options.batchSize ?? DEFAULT_BATCH);
    const session = this.session();
    try {
      return await session.executeWrite(async (tx) => {
        let batches = 0;
        const run = async (cypher: string, params: Record<string, unknown>) => {
          const rows = await txQuery<{ written?: number }>(tx, cypher, params);
          batches++;
          await options.onBatch?.(batches);
          return rows;
        };
        const o = header.iri;
        const previous = await this.takeApart(tx, o);
        const existing = await this.existing(tx, irisOf(doc, o), size);
        const plan = planImport(doc, header, existing);

        for (const [key, group] of groupRows(plan.relabel, (r) => `${r.from}>${r.to}`)) {
          const [from, to] = key.split('>') as [NodeKind, NodeKind];
          for (const part of chunks(group, size)) {
            await run(`UNWIND $iris AS iri MATCH (n:${from} {iri: iri}) REMOVE n:${from} SET n:${to}`, {
              iris: part.map((r) => r.iri),
            });
          }
        }
        for (const kind of NODE_KINDS) {
          for (const part of chunks(
            plan.nodes.filter((n) => n.kind === kind),
            size,
          )) {
            await run(
              `UNWIND $rows AS r MERGE (n:${kind} {iri: r.iri})
               SET n.ontology = $o, n.types = r.types, n.lits = r.lits, n.refs = r.refs, n.label = r.label,
                   n.definition = r.definition, n.searchText = r.searchText`,
              { rows: part, o },
            );
          }
          for (const part of chunks(
            plan.stubs.filter((n) => n.kind === kind),
            size,
          )) {
            await run(
              `UNWIND $rows AS r MERGE (n:${kind} {iri: r.iri})
               ON CREATE SET n.types = [], n.lits = '[]', n.refs = '[]', n.label = r.label, n.searchText = r.searchText`,
              { rows: part },
            );
          }
        }
        for (const [key, group] of groupRows(plan.edges, (e) => `${e.type}:${e.sKind}:${e.oKind}`)) {
          const [type, sKind, oKind] = key.split(':') as [EdgeType, NodeKind, NodeKind];
          const extra =
            type === 'RELATION'
              ? ', e.predicate = r.predicate'
              : type === 'BROADER'
                ? ', e.broader = r.broader, e.narrower = r.narrower'
                : '';
          for (const part of chunks(group, size)) {
            const rows = part.map((e) => ({
              s: e.s,
              o: e.o,
              predicate: e.predicate,
              broader: !!e.broader,
              narrower: !!e.narrower,
            }));
            const [result] = await run(
              `UNWIND $rows AS r MATCH (s:${sKind} {iri: r.s}) MATCH (t:${oKind} {iri: r.o})
               CREATE (s)-[e:${type}]->(t) SET e.ontology = $o${extra}
               RETURN count(e) AS written`,
              { rows, o },
            );
            // A missing end would silently lose a triple: refuse instead (rolls everything back).
            if (result?.written !== rows.length)
              throw new Error(`import of ${o}: ${type} edges written ${result?.written} of ${rows.length}`);
          }
        }
        await run(
          `MERGE (n:Ontology {iri: $o})
           SET n.ontology = $o, n.name = $h.name, n.namespace = $h.namespace, n.version = $h.version, n.label = $h.label,
               n.comment = $h.comment, n.prefixes = $prefixes, n.verbatim = $verbatim, n.tripleCount = $tripleCount,
               n.format = $format, n.importedAt = datetime(), n.importedBy = $importedBy`,
          {
            o,
            h: plan.ontology,
            prefixes: JSON.stringify(doc.prefixes),
            verbatim: plan.verbatim,
            tripleCount: plan.tripleCount,
            format: meta.format,
            importedBy: meta.importedBy,
          },
        );
        batches += await this.removeOrphans(tx, previous, size);
        return {
          iri: o,
          replaced: previous.ontologyExisted,
          triples: plan.tripleCount,
          ...plan.counts,
          verbatimTriples: plan.verbatim.length,
          batches,
        };
      });
    } finally {
      await session.close();
    }
  }

  /** Deletes an ontology: what its imports wrote goes; concepts still linked to datasets stay as references. */
  async deleteOntology(iri: string): Promise<boolean> {
    const session = this.session();
    try {
      return await session.executeWrite(async (tx) => {
        const previous = await this.takeApart(tx, iri);
        await this.removeOrphans(tx, previous, DEFAULT_BATCH);
        // Still referred to by another ontology: it stays, as an instance nobody owns.
        await tx.run(`MATCH (n:Ontology {iri: $iri}) WHERE n.ontology IS NULL REMOVE n:Ontology SET n:Instance`, {
          iri,
        });
        return previous.ontologyExisted;
      });
    } finally {
      await session.close();
    }
  }

  /**
   * Removes what the ontology's last import wrote: its edges, and its nodes' data (the nodes
   * become unowned stubs, so edges from other ontologies and dataset links survive).
   */
  private async takeApart(
    tx: ManagedTransaction,
    o: string,
  ): Promise<{ ontologyExisted: boolean; candidates: string[] }> {
    const [head] = await txQuery<{ existed: boolean }>(
      tx,
      `OPTIONAL MATCH (n:Ontology {iri: $o}) WHERE n.ontology = $o RETURN n IS NOT NULL AS existed`,
      { o },
    );
    const candidates = new Set<string>();
    for (const type of EDGE_TYPES) {
      const rows = await txQuery<{ ends: string[] }>(
        tx,
        `MATCH (s)-[r:${type} {ontology: $o}]->(t) WITH r, [s.iri, t.iri] AS ends DELETE r RETURN ends`,
        { o },
      );
      for (const r of rows) for (const iri of r.ends) candidates.add(iri);
    }
    const owned = await txQuery<{ iri: string }>(
      tx,
      `CALL () {
         MATCH (n:Concept {ontology: $o}) RETURN n UNION MATCH (n:Property {ontology: $o}) RETURN n
         UNION MATCH (n:Instance {ontology: $o}) RETURN n UNION MATCH (n:Ontology {iri: $o}) RETURN n
       }
       SET n.ontology = null, n.types = [], n.lits = '[]', n.refs = '[]', n.definition = null
       REMOVE n.verbatim, n.prefixes, n.tripleCount
       RETURN n.iri AS iri`,
      { o },
    );
    for (const r of owned) candidates.add(r.iri);
    return { ontologyExisted: !!head?.existed, candidates: [...candidates] };
  }

  /** Stubs nobody owns, that no edge and no dataset link needs any more. */
  private async removeOrphans(
    tx: ManagedTransaction,
    previous: { candidates: string[] },
    size: number,
  ): Promise<number> {
    let batches = 0;
    for (const part of chunks(previous.candidates, size)) {
      await tx.run(
        `UNWIND $iris AS iri ${NODE_BY_IRI('iri')} WITH n WHERE n.ontology IS NULL AND NOT (n)--() DELETE n`,
        { iris: part },
      );
      batches++;
    }
    return batches;
  }

  private async existing(
    tx: ManagedTransaction,
    iris: readonly string[],
    size: number,
  ): Promise<Map<string, Existing>> {
    const out = new Map<string, Existing>();
    for (const part of chunks(iris, size * 5)) {
      const rows = await txQuery<{ iri: string; kind: NodeKind; ontology: string | null }>(
        tx,
        `UNWIND $iris AS iri ${NODE_BY_IRI('iri')} RETURN iri, kind, n.ontology AS ontology`,
        { iris: part },
      );
      for (const r of rows) if (!out.has(r.iri)) out.set(r.iri, { kind: r.kind, ontology: r.ontology ?? null });
    }
    return out;
  }

  // ---------------------------------------------------------------- export

  /** Exactly the triples the ontology's last import wrote; null when there is no such ontology. */
  async exportTriples(o: string): Promise<{ triples: Triple[]; prefixes: Record<string, string> } | null> {
    const session = this.neo4j.driver.session({ database: this.neo4j.database, defaultAccessMode: 'READ' });
    try {
      return await session.executeRead(async (tx) => {
        const [head] = await txQuery<{ prefixes: string; verbatim: string[] }>(
          tx,
          `MATCH (n:Ontology {iri: $o}) WHERE n.ontology = $o RETURN coalesce(n.prefixes, '{}') AS prefixes, coalesce(n.verbatim, []) AS verbatim`,
          { o },
        );
        if (!head) return null;
        const nodes = await txQuery<{ iri: string; types: string[]; lits: string; refs: string }>(
          tx,
          `CALL () {
             MATCH (n:Concept {ontology: $o}) RETURN n UNION MATCH (n:Property {ontology: $o}) RETURN n
             UNION MATCH (n:Instance {ontology: $o}) RETURN n UNION MATCH (n:Ontology {iri: $o}) RETURN n
           }
           RETURN n.iri AS iri, coalesce(n.types, []) AS types, coalesce(n.lits, '[]') AS lits, coalesce(n.refs, '[]') AS refs`,
          { o },
        );
        const triples: Triple[] = nodes.flatMap((n) =>
          triplesOfNode(n.iri, n.types, JSON.parse(n.lits) as Lit[], JSON.parse(n.refs) as Ref[]),
        );
        for (const type of EDGE_TYPES) {
          const edges = await txQuery<{
            s: string;
            o: string;
            predicate: string | null;
            broader: boolean | null;
            narrower: boolean | null;
          }>(
            tx,
            `MATCH (s)-[r:${type} {ontology: $o}]->(t) RETURN s.iri AS s, t.iri AS o, r.predicate AS predicate, r.broader AS broader, r.narrower AS narrower`,
            { o },
          );
          for (const e of edges) triples.push(...triplesOfEdge({ type, ...e }));
        }
        triples.push(...fromNTriples(head.verbatim));
        return { triples, prefixes: JSON.parse(head.prefixes) as Record<string, string> };
      });
    } finally {
      await session.close();
    }
  }

  // ---------------------------------------------------------------- links

  /** Links a concept to a dataset or one of its columns; false when the concept does not exist. */
  async link(concept: string, datasetUrn: string, column: string | null): Promise<boolean> {
    const { records } = await this.neo4j.driver.executeQuery(
      column === null
        ? `MATCH (c:Concept {iri: $concept})
           MERGE (d:LinkedDataset {urn: $urn})
           MERGE (c)-[:DESCRIBES]->(d)
           RETURN true AS ok`
        : `MATCH (c:Concept {iri: $concept})
           MERGE (d:LinkedDataset {urn: $urn})
           MERGE (col:LinkedColumn {datasetUrn: $urn, name: $column})
           MERGE (col)-[:OF_DATASET]->(d)
           WITH c, col
           OPTIONAL MATCH (other:Concept)-[old:DESCRIBES]->(col) WHERE other <> c
           DELETE old
           WITH DISTINCT c, col
           MERGE (c)-[:DESCRIBES]->(col)
           RETURN true AS ok`,
      { concept, urn: datasetUrn, column },
      { database: this.neo4j.database },
    );
    return records.length > 0;
  }

  /** Removes a link (and link nodes nothing refers to any more); true when there was one. */
  async unlink(concept: string, datasetUrn: string, column: string | null): Promise<boolean> {
    const { records } = await this.neo4j.driver.executeQuery(
      `OPTIONAL MATCH (c:Concept {iri: $concept})-[r:DESCRIBES]->(t)
       WHERE CASE WHEN $column IS NULL THEN t:LinkedDataset AND t.urn = $urn
                  ELSE t:LinkedColumn AND t.datasetUrn = $urn AND t.name = $column END
       WITH collect(r) AS links
       FOREACH (x IN links | DELETE x)
       WITH size(links) AS removed
       CALL () { MATCH (col:LinkedColumn {datasetUrn: $urn}) WHERE NOT (col)<-[:DESCRIBES]-() DETACH DELETE col }
       CALL () { MATCH (d:LinkedDataset {urn: $urn}) WHERE NOT (d)--() DELETE d }
       RETURN removed`,
      { concept, urn: datasetUrn, column },
      { database: this.neo4j.database },
    );
    return ((records[0]?.get('removed') as number | undefined) ?? 0) > 0;
  }
}

function groupRows<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    let list = out.get(k);
    if (!list) out.set(k, (list = []));
    list.push(row);
  }
  return out;
}

export type { EdgeRow, ImportPlan };
