/** What a scanner reads from a source's catalog, before it becomes Metis datasets. */
export interface ScannedColumn {
  name: string;
  type: string;
  nullable: boolean;
  /** The column's comment; null: none (a description curated in Metis is then kept). */
  comment: string | null;
}

export interface ForeignKey {
  columns: string[];
  collection: string;
  table: string;
  referencedColumns: string[];
}

export interface ScannedTable {
  /** Schema (PostgreSQL) or schema within the catalog (Trino): the URN's collection. */
  collection: string;
  name: string;
  kind: 'TABLE' | 'VIEW';
  comment: string | null;
  columns: ScannedColumn[];
  primaryKey: string[];
  foreignKeys: ForeignKey[];
  /** The view's SQL, for column-level lineage. */
  definition: string | null;
}

/** A source's catalog as read by one scan. */
export interface ScannedCatalog {
  /** `postgres`, `trino`: the Source's type when Metis creates it. */
  sourceType: string;
  /** Connection details to show (host, port, database or catalog): never a user or a password. */
  connection: { key: string; value: string }[];
  tables: ScannedTable[];
}

/** Reads a source's catalog; one implementation per kind of source. */
export interface CatalogReader {
  read(): Promise<ScannedCatalog>;
}

/** At most this many tables and views are read per scan: the rest is reported as an error. */
export const MAX_SCANNED_TABLES = 5000;
