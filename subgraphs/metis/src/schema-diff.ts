import type { SchemaState, VersionColumn } from './store/versions.js';

export interface ColumnChange {
  name: string;
  descriptionChanged: boolean;
  nullableChanged: boolean;
  tagsAdded: string[];
  tagsRemoved: string[];
}

export interface SchemaDiff {
  from: number | null;
  to: number;
  descriptionChanged: boolean;
  tagsAdded: string[];
  tagsRemoved: string[];
  columnsAdded: VersionColumn[];
  columnsRemoved: VersionColumn[];
  columnsRetyped: { name: string; from: string; to: string }[];
  columnsChanged: ColumnChange[];
}

const EMPTY: SchemaState = { description: null, tags: [], columns: [] };

const minus = (a: readonly string[], b: readonly string[]) => a.filter((x) => !b.includes(x));

/**
 * What changed from one state to another, column by name (a renamed column is one removed and one
 * added: nothing in an ingest says it is the same column). `before` null: everything is added.
 */
export function schemaDiff(
  before: (SchemaState & { number: number }) | null,
  after: SchemaState & { number: number },
): SchemaDiff {
  const old = before ?? EMPTY;
  const oldColumns = new Map(old.columns.map((c) => [c.name, c]));
  const newColumns = new Map(after.columns.map((c) => [c.name, c]));
  const columnsChanged: ColumnChange[] = [];
  const columnsRetyped: SchemaDiff['columnsRetyped'] = [];
  for (const c of after.columns) {
    const o = oldColumns.get(c.name);
    if (!o) continue;
    if (o.type !== c.type) columnsRetyped.push({ name: c.name, from: o.type, to: c.type });
    const change: ColumnChange = {
      name: c.name,
      descriptionChanged: o.description !== c.description,
      nullableChanged: o.nullable !== c.nullable,
      tagsAdded: minus(c.tags, o.tags),
      tagsRemoved: minus(o.tags, c.tags),
    };
    if (change.descriptionChanged || change.nullableChanged || change.tagsAdded.length || change.tagsRemoved.length)
      columnsChanged.push(change);
  }
  return {
    from: before?.number ?? null,
    to: after.number,
    descriptionChanged: old.description !== after.description,
    tagsAdded: minus(after.tags, old.tags),
    tagsRemoved: minus(old.tags, after.tags),
    columnsAdded: after.columns.filter((c) => !oldColumns.has(c.name)),
    columnsRemoved: old.columns.filter((c) => !newColumns.has(c.name)),
    columnsRetyped,
    columnsChanged,
  };
}
