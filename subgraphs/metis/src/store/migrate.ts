import { randomBytes } from 'node:crypto';
import type { Neo4jStore } from '@dataos/stores';

/** The one full-text index over datasets, columns and glossary terms. */
export const SEARCH_INDEX = 'metis_search_v3';
/**
 * Names without stemming (`standard-no-stop-words`), for typo tolerance and suggestions: Lucene's
 * fuzzy and prefix queries are not analysed, so against the English index `custmer~2` would be
 * compared with the stem `custom`, three edits away from it. The filter fields are here too, so
 * that filters run inside Lucene in both indexes.
 */
export const NAMES_INDEX = 'metis_names_v1';

/** Metis's labels: Source, Dataset, Column, Owner, Domain, GlossaryTerm, Resource, JobRun, DatasetVersion, MetisSettings. */
const STATEMENTS = [
  'CREATE CONSTRAINT metis_dataset_urn IF NOT EXISTS FOR (d:Dataset) REQUIRE d.urn IS UNIQUE',
  'CREATE CONSTRAINT metis_source_name IF NOT EXISTS FOR (s:Source) REQUIRE s.name IS UNIQUE',
  'CREATE CONSTRAINT metis_column_key IF NOT EXISTS FOR (c:Column) REQUIRE (c.datasetUrn, c.name) IS UNIQUE',
  'CREATE CONSTRAINT metis_owner_id IF NOT EXISTS FOR (o:Owner) REQUIRE o.id IS UNIQUE',
  'CREATE CONSTRAINT metis_domain_name IF NOT EXISTS FOR (d:Domain) REQUIRE d.name IS UNIQUE',
  'CREATE CONSTRAINT metis_glossary_name IF NOT EXISTS FOR (g:GlossaryTerm) REQUIRE g.name IS UNIQUE',
  'CREATE CONSTRAINT metis_resource_urn IF NOT EXISTS FOR (r:Resource) REQUIRE r.urn IS UNIQUE',
  'CREATE CONSTRAINT metis_job_run_id IF NOT EXISTS FOR (r:JobRun) REQUIRE r.id IS UNIQUE',
  'CREATE CONSTRAINT metis_dataset_version IF NOT EXISTS FOR (v:DatasetVersion) REQUIRE (v.datasetUrn, v.number) IS UNIQUE',
  'CREATE CONSTRAINT metis_settings_id IF NOT EXISTS FOR (s:MetisSettings) REQUIRE s.id IS UNIQUE',
  'CREATE INDEX metis_dataset_source IF NOT EXISTS FOR (d:Dataset) ON (d.source)',
  'CREATE INDEX metis_dataset_domain IF NOT EXISTS FOR (d:Dataset) ON (d.domain)',
  'CREATE INDEX metis_resource_kind IF NOT EXISTS FOR (r:Resource) ON (r.kind, r.urn)',
  'CREATE INDEX metis_job_run_dataset IF NOT EXISTS FOR (r:JobRun) ON (r.datasetUrn, r.startedAt)',
  'CREATE INDEX metis_job_run_resource IF NOT EXISTS FOR (r:JobRun) ON (r.resourceUrn, r.startedAt)',
  'CREATE INDEX metis_feeds_via IF NOT EXISTS FOR ()-[e:FEEDS]-() ON (e.via)',
  'CREATE INDEX metis_declassification_column IF NOT EXISTS FOR (e:DeclassificationEvent) ON (e.datasetUrn, e.column)',
  'CREATE INDEX metis_suggestion_decision IF NOT EXISTS FOR (s:SuggestionDecision) ON (s.datasetUrn, s.column)',
  // Replaced by metis_search_v3 (adds ftType, ftDomain and ftOwners, so that every search filter
  // runs inside Lucene and the scan limit applies to hits that pass the filters).
  'DROP INDEX metis_search IF EXISTS',
  'DROP INDEX metis_search_v2 IF EXISTS',
  `CREATE FULLTEXT INDEX ${SEARCH_INDEX} IF NOT EXISTS FOR (n:Dataset|Column|GlossaryTerm)
   ON EACH [n.ftName, n.ftTags, n.description, n.ftContext, n.ftSource, n.ftType, n.ftDomain, n.ftOwners]
   OPTIONS { indexConfig: { \`fulltext.analyzer\`: 'english' } }`,
  `CREATE FULLTEXT INDEX ${NAMES_INDEX} IF NOT EXISTS FOR (n:Dataset|Column|GlossaryTerm)
   ON EACH [n.ftName, n.ftTags, n.ftSource, n.ftType, n.ftDomain, n.ftOwners]
   OPTIONS { indexConfig: { \`fulltext.analyzer\`: 'standard-no-stop-words' } }`,
];

/**
 * Fills the filter fields of metis_search_v3 on nodes written before it (resumable: only nodes
 * without `ftType`; batched, so a large catalog is not one transaction). Datasets first: columns
 * copy their dataset's domain and owners.
 */
const BACKFILL = [
  `MATCH (d:Dataset) WHERE d.ftType IS NULL
   CALL (d) {
     SET d.ftType = 'dataset', d.ftDomain = d.domain,
         d.ftOwners = reduce(s = '', id IN [(d)-[:OWNED_BY]->(o:Owner) | o.id] | s + ' ' + id)
   } IN TRANSACTIONS OF 2000 ROWS`,
  `MATCH (c:Column) WHERE c.ftType IS NULL
   CALL (c) {
     OPTIONAL MATCH (d:Dataset {urn: c.datasetUrn})
     SET c.ftType = 'column', c.ftDomain = d.ftDomain, c.ftOwners = d.ftOwners
   } IN TRANSACTIONS OF 5000 ROWS`,
  `MATCH (g:GlossaryTerm) WHERE g.ftType IS NULL
   CALL (g) { SET g.ftType = 'term', g.ftDomain = g.domain } IN TRANSACTIONS OF 2000 ROWS`,
];

/** Another replica creating the same rule at the same moment is not a failure. */
const ALREADY =
  /EquivalentSchemaRuleAlreadyExists|ConstraintAlreadyExists|IndexAlreadyExists|ConstraintValidationFailed/;
/** Two replicas backfilling the same nodes may deadlock: retry. */
const TRANSIENT = /DeadlockDetected|TransientError|LockClient/;

async function run(neo4j: Neo4jStore, cypher: string, params: Record<string, unknown> = {}) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await neo4j.driver.executeQuery(cypher, params, { database: neo4j.database });
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (attempt < 3 && ALREADY.test(code)) continue;
      throw error;
    }
  }
}

/** Idempotent (safe to run from every replica at start-up): constraints, indexes, the cursor key. */
/** `CALL { } IN TRANSACTIONS` needs an auto-commit transaction (session.run, not executeQuery). */
async function autoCommit(neo4j: Neo4jStore, cypher: string) {
  for (let attempt = 0; ; attempt++) {
    const session = neo4j.driver.session({ database: neo4j.database });
    try {
      await session.run(cypher);
      return;
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (attempt < 3 && TRANSIENT.test(code)) continue;
      throw error;
    } finally {
      await session.close();
    }
  }
}

export async function migrate(neo4j: Neo4jStore): Promise<{ cursorKey: string }> {
  for (const statement of STATEMENTS) await run(neo4j, statement);
  for (const statement of BACKFILL) await autoCommit(neo4j, statement);
  await run(neo4j, `CALL db.awaitIndex('${SEARCH_INDEX}', 300)`);
  await run(neo4j, `CALL db.awaitIndex('${NAMES_INDEX}', 300)`);
  const { records } = await run(
    neo4j,
    `MERGE (s:MetisSettings {id: 'cursor-key'}) ON CREATE SET s.value = $value RETURN s.value AS value`,
    { value: randomBytes(32).toString('base64') },
  );
  return { cursorKey: records[0]!.get('value') as string };
}
