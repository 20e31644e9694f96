import type { Neo4jStore } from '@dataos/stores';

export interface DatasetRecord {
  urn: string;
  name: string;
  description: string | null;
  layer: string | null;
  tags: string[];
  updatedAt: string | null;
}

export interface ColumnRecord {
  datasetUrn: string;
  name: string;
  type: string;
  description: string | null;
  tags: string[];
  position: number;
}

/** Hand-written Cypher over the Metis labels (Source, Dataset, Column). */
export class CatalogStore {
  constructor(private readonly neo4j: Neo4jStore) {}

  private async read<T>(cypher: string, params: Record<string, unknown>): Promise<T[]> {
    const { records } = await this.neo4j.driver.executeQuery(cypher, params, {
      database: this.neo4j.database,
      routing: 'READ',
    });
    return records.map((r) => r.toObject() as T);
  }

  /** Idempotent: constraints and indexes Metis relies on. */
  async migrate(): Promise<void> {
    for (const statement of [
      'CREATE CONSTRAINT metis_dataset_urn IF NOT EXISTS FOR (d:Dataset) REQUIRE d.urn IS UNIQUE',
      'CREATE CONSTRAINT metis_source_name IF NOT EXISTS FOR (s:Source) REQUIRE s.name IS UNIQUE',
    ]) {
      await this.neo4j.driver.executeQuery(statement, {}, { database: this.neo4j.database });
    }
  }

  datasetsByUrn(urns: readonly string[]): Promise<DatasetRecord[]> {
    return this.read<DatasetRecord>(
      `UNWIND $urns AS urn MATCH (d:Dataset {urn: urn})
       RETURN d.urn AS urn, d.name AS name, d.description AS description, d.layer AS layer,
              coalesce(d.tags, []) AS tags, toString(d.updatedAt) AS updatedAt`,
      { urns },
    );
  }

  columnsOf(urns: readonly string[]): Promise<ColumnRecord[]> {
    return this.read<ColumnRecord>(
      `UNWIND $urns AS urn MATCH (d:Dataset {urn: urn})-[:HAS_COLUMN]->(c:Column)
       RETURN d.urn AS datasetUrn, c.name AS name, c.type AS type, c.description AS description,
              coalesce(c.tags, []) AS tags, c.position AS position
       ORDER BY datasetUrn, position`,
      { urns },
    );
  }

  /** Keyset page in URN order: stable under inserts. */
  datasetPage(first: number, afterUrn: string | null): Promise<DatasetRecord[]> {
    return this.read<DatasetRecord>(
      `MATCH (d:Dataset) WHERE $after IS NULL OR d.urn > $after
       RETURN d.urn AS urn, d.name AS name, d.description AS description, d.layer AS layer,
              coalesce(d.tags, []) AS tags, toString(d.updatedAt) AS updatedAt
       ORDER BY d.urn LIMIT $limit`,
      { after: afterUrn, limit: first + 1 },
    );
  }
}
