/**
 * The rows of one run, page after page. The Gateway pages by an opaque cursor bound to (cluster,
 * SQL, caller): each page is appended under the first page's columns, and the browser keeps at most
 * MAX_ROWS_HELD rows, so scrolling through a huge result cannot exhaust the tab's memory.
 */

export interface ResultColumn {
  name: string;
  type: string;
}

export interface ResultPage {
  queryId: string;
  columns: readonly ResultColumn[];
  rows: readonly unknown[];
  offset: number;
  hasMore: boolean;
  cursor?: string | null;
  durationMs: number;
  datasets: readonly string[];
  policies: readonly string[];
}

export interface ResultState {
  columns: readonly ResultColumn[];
  rows: readonly (readonly unknown[])[];
  /** The cursor of the next page; null when there is none or no more may be held. */
  cursor: string | null;
  hasMore: boolean;
  /** True when more rows exist but MAX_ROWS_HELD is reached. */
  capped: boolean;
  pages: number;
  queryIds: readonly string[];
  durationMs: number;
  datasets: readonly string[];
  policies: readonly string[];
}

export const MAX_ROWS_HELD = 10_000;
/** Rows per page asked of the Gateway (it allows 1 to 10,000). */
export const PAGE_SIZE = 200;

/** A row as the Gateway sends it: a JSON array in column order; anything else is one cell. */
const asRow = (row: unknown): readonly unknown[] => (Array.isArray(row) ? row : [row]);

export function firstPage(page: ResultPage): ResultState {
  return appendPage(
    {
      columns: page.columns,
      rows: [],
      cursor: null,
      hasMore: false,
      capped: false,
      pages: 0,
      queryIds: [],
      durationMs: 0,
      datasets: [],
      policies: [],
    },
    page,
  );
}

export class ResultShapeChanged extends Error {
  constructor() {
    super('The next page has other columns than the first: run the query again.');
  }
}

export function appendPage(state: ResultState, page: ResultPage): ResultState {
  const same =
    page.columns.length === state.columns.length &&
    page.columns.every((c, i) => c.name === state.columns[i]!.name && c.type === state.columns[i]!.type);
  if (!same) throw new ResultShapeChanged();
  const room = MAX_ROWS_HELD - state.rows.length;
  const rows = [...state.rows, ...page.rows.slice(0, Math.max(room, 0)).map(asRow)];
  const capped = page.rows.length > room || (page.hasMore && rows.length >= MAX_ROWS_HELD);
  const more = page.hasMore && !capped && typeof page.cursor === 'string';
  return {
    columns: state.columns,
    rows,
    cursor: more ? (page.cursor as string) : null,
    hasMore: page.hasMore || page.rows.length > room,
    capped,
    pages: state.pages + 1,
    queryIds: [...state.queryIds, page.queryId],
    durationMs: state.durationMs + page.durationMs,
    datasets: [...new Set([...state.datasets, ...page.datasets])],
    policies: [...new Set([...state.policies, ...page.policies])],
  };
}

/** Whether the table should fetch the next page: the last rendered row is within `margin` of the end. */
export function wantsNextPage(state: ResultState, lastVisibleIndex: number, margin = 50): boolean {
  return state.cursor !== null && lastVisibleIndex >= state.rows.length - 1 - margin;
}

/** A cell as text: JSON values (structs, lists) as JSON, null as an empty marker the table styles. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
