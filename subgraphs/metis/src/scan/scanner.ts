import { createHash } from 'node:crypto';
import { assertName } from '@dataos/names';
import { changeLifecycle } from '../store/lifecycle.js';
import type { CatalogWriter, DatasetIngest } from '../store/writes.js';
import { parseDatasetUrn } from '../urn.js';
import { redact, type ScanTarget } from './config.js';
import { MAX_SCANNED_TABLES, type CatalogReader, type ScannedCatalog, type ScannedTable } from './model.js';
import { NO_COUNTS, SCANNER_ID, type ScanCounts, type ScanStore } from './store.js';
import type { ViewParser } from './view-lineage.js';

/** Datasets per ingest transaction. */
const CHUNK = 500;
/** Errors kept per run (the rest are counted in the last one). */
const MAX_ERRORS = 50;

export interface ScanOutcome {
  counts: ScanCounts;
  errors: string[];
}

type Prepared = {
  table: ScannedTable;
  urn: string;
  ingest: DatasetIngest;
  edges: { upstream: string; upstreamColumn: string; downstreamColumn: string; transformation: string | null }[];
  digest: string;
};

const digestOf = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('base64url');

/**
 * One scan of one depot: read its catalog, then write only what changed since the last scan
 * (a digest per table or view, kept on its dataset), through the same ingest as the API (so
 * every change is a schema version by `services:id:metis-scanner`); view definitions become
 * column-level lineage; datasets no longer in the source are deprecated, and the mark is lifted
 * when they come back. Whatever fails is an error of the run, with every secret redacted.
 */
export async function scanOnce(
  target: ScanTarget,
  reader: CatalogReader,
  deps: { writer: CatalogWriter; store: ScanStore; parser: ViewParser },
  now = new Date(),
): Promise<ScanOutcome> {
  const errors: string[] = [];
  const error = (message: string) => {
    if (errors.length < MAX_ERRORS) errors.push(redact(message, target));
  };
  const catalog: ScannedCatalog = await reader.read();
  if (catalog.tables.length > MAX_SCANNED_TABLES) {
    error(`The source holds more than ${MAX_SCANNED_TABLES} tables and views: only the first ones were scanned.`);
    catalog.tables.length = MAX_SCANNED_TABLES;
  }

  const urnOf = (collection: string, name: string) => `dataos://${target.depot}:${collection}/${name}`;
  const tables: { table: ScannedTable; urn: string }[] = [];
  for (const table of catalog.tables) {
    const urn = urnOf(table.collection, table.name);
    if (!parseDatasetUrn(urn)) {
      error(`Skipped ${table.collection}.${table.name}: its name does not fit a dataset URN (letters, digits, _ . -).`);
      continue;
    }
    try {
      for (const c of table.columns) assertName(c.name, 'column');
    } catch {
      error(`Skipped ${table.collection}.${table.name}: a column name does not fit Metis's name rule.`);
      continue;
    }
    tables.push({ table, urn });
  }
  const columnsOf = new Map(
    tables.map(({ table }) => [`${table.collection.toLowerCase()}.${table.name.toLowerCase()}`, table.columns]),
  );
  const byLower = new Map(tables.map((t) => [`${t.table.collection.toLowerCase()}.${t.table.name.toLowerCase()}`, t]));

  const prepared: Prepared[] = [];
  for (const { table, urn } of tables) {
    const edges: Prepared['edges'] = [];
    if (table.kind === 'VIEW' && table.definition) {
      const lineage = await deps.parser
        .lineage(table.definition, table.collection.toLowerCase(), (s, n) =>
          columnsOf.get(`${s}.${n}`)?.map((c) => c.name.toLowerCase()),
        )
        .catch(() => null);
      if (!lineage) error(`The definition of view ${table.collection}.${table.name} could not be parsed: no lineage.`);
      for (const out of lineage ?? []) {
        const downstream = table.columns[out.position];
        if (!downstream) continue;
        for (const s of out.sources) {
          const up = byLower.get(`${s.collection}.${s.table}`);
          const upColumn = up?.table.columns.find((c) => c.name.toLowerCase() === s.column);
          if (!up || !upColumn) continue;
          edges.push({
            upstream: up.urn,
            upstreamColumn: upColumn.name,
            downstreamColumn: downstream.name,
            transformation: out.transformation,
          });
        }
      }
    }
    const ingest: DatasetIngest = {
      urn,
      name: table.name,
      kind: table.kind,
      // A comment becomes the description; without one, a description curated in Metis stays.
      ...(table.comment && target.comments ? { description: table.comment } : {}),
      columns: table.columns.map((c) => ({
        name: c.name,
        type: c.type,
        nullable: c.nullable,
        ...(c.comment && target.comments ? { description: c.comment } : {}),
      })),
    };
    prepared.push({ table, urn, ingest, edges, digest: digestOf([table, edges]) });
  }

  const known = await deps.store.known(target.depot);
  const changed = prepared.filter((p) => known.get(p.urn)?.digest !== p.digest);
  const counts: ScanCounts = { ...NO_COUNTS, found: catalog.tables.length };
  counts.unchanged = prepared.length - changed.length;
  const source = { name: target.depot, type: catalog.sourceType, connection: catalog.connection };
  // Tables before views, so that a view's upstream columns exist when its edges are written.
  changed.sort((a, b) => Number(a.table.kind === 'VIEW') - Number(b.table.kind === 'VIEW'));
  for (let i = 0; i < changed.length || i === 0; i += CHUNK) {
    const chunk = changed.slice(i, i + CHUNK);
    // Even with nothing changed, the source's connection details are kept current (idempotent).
    const result = await deps.writer.ingest(
      source,
      chunk.map((p) => p.ingest),
      {},
      SCANNER_ID,
      now,
    );
    counts.created += result.created;
    counts.updated += result.updated;
    counts.unchanged += result.unchanged;
    counts.columnEdges += await deps.store.recordScanned(
      chunk.map((p) => ({
        urn: p.urn,
        digest: p.digest,
        primaryKey: p.table.primaryKey,
        foreignKeys: p.table.foreignKeys.flatMap((fk) => {
          const target = byLower.get(`${fk.collection.toLowerCase()}.${fk.table.toLowerCase()}`);
          return target
            ? fk.columns.map((column, k) => ({
                column,
                datasetUrn: target.urn,
                referencedColumn: fk.referencedColumns[k] ?? '',
              }))
            : [];
        }),
        edges: p.edges,
      })),
    );
  }

  // Dropped from the source: deprecated (never deleted: curation and lineage stay readable).
  // Only what an earlier scan found: datasets others ingest into the depot are theirs to retire.
  const seen = new Set(prepared.map((p) => p.urn));
  if (prepared.length === 0 && known.size > 0) {
    error(
      'The source listed no tables or views: nothing was deprecated (check the scanner role can read the catalog).',
    );
  } else {
    for (const [urn, state] of known) {
      if (seen.has(urn) || !state.scanned || state.deprecatedBy !== null) continue;
      await changeLifecycle(
        deps.writer,
        { kind: 'DATASET', key: urn },
        {
          op: 'deprecate',
          note: `Not found in the source by the scan of ${now.toISOString()}: dropped or renamed.`,
          replacementUrn: null,
        },
        SCANNER_ID,
        now,
      );
      counts.deprecated++;
    }
  }
  // Back in the source after a scan deprecated it: the scanner's own mark is lifted.
  for (const urn of seen) {
    if (known.get(urn)?.deprecatedBy !== SCANNER_ID) continue;
    await changeLifecycle(deps.writer, { kind: 'DATASET', key: urn }, { op: 'undeprecate' }, SCANNER_ID, now);
    counts.restored++;
  }
  return { counts, errors };
}
