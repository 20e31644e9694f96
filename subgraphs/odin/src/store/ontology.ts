import type { Neo4jStore } from '@dataos/stores';

export interface ConceptRecord {
  iri: string;
  label: string;
  definition: string | null;
}

/**
 * Odin's labels (Ontology, Concept, LinkedDataset) never touch Metis's: links to Metis datasets
 * are kept by URN, so the two can live in separate databases in production.
 */
export class OntologyStore {
  constructor(private readonly neo4j: Neo4jStore) {}

  private async read<T>(cypher: string, params: Record<string, unknown>): Promise<T[]> {
    const { records } = await this.neo4j.driver.executeQuery(cypher, params, {
      database: this.neo4j.database,
      routing: 'READ',
    });
    return records.map((r) => r.toObject() as T);
  }

  async migrate(): Promise<void> {
    for (const statement of [
      'CREATE CONSTRAINT odin_concept_iri IF NOT EXISTS FOR (c:Concept) REQUIRE c.iri IS UNIQUE',
      'CREATE CONSTRAINT odin_linked_dataset_urn IF NOT EXISTS FOR (d:LinkedDataset) REQUIRE d.urn IS UNIQUE',
    ]) {
      await this.neo4j.driver.executeQuery(statement, {}, { database: this.neo4j.database });
    }
  }

  search(text: string | null): Promise<ConceptRecord[]> {
    return this.read<ConceptRecord>(
      `MATCH (c:Concept) WHERE $text IS NULL OR toLower(c.label) CONTAINS toLower($text)
       RETURN c.iri AS iri, c.label AS label, c.definition AS definition ORDER BY c.label LIMIT 200`,
      { text },
    );
  }

  conceptsByIri(iris: readonly string[]): Promise<ConceptRecord[]> {
    return this.read<ConceptRecord>(
      `UNWIND $iris AS iri MATCH (c:Concept {iri: iri})
       RETURN c.iri AS iri, c.label AS label, c.definition AS definition`,
      { iris },
    );
  }

  conceptsOfDatasets(urns: readonly string[]): Promise<(ConceptRecord & { urn: string })[]> {
    return this.read(
      `UNWIND $urns AS urn MATCH (c:Concept)-[:DESCRIBES]->(:LinkedDataset {urn: urn})
       RETURN urn, c.iri AS iri, c.label AS label, c.definition AS definition ORDER BY c.label`,
      { urns },
    );
  }
}
