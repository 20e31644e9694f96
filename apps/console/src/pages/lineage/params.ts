import type { LineageDirection } from '@dataos/client';

export const MAX_DEPTH = 10;
const DIRECTIONS: readonly LineageDirection[] = ['BOTH', 'UPSTREAM', 'DOWNSTREAM'];

export interface LineageView {
  direction: LineageDirection;
  depth: number;
  /** The selected column of the root or any shown dataset: `urn` and `column`. */
  column?: { urn: string; column: string };
}

/** The view in the URL, so a lineage with a selected column is a link one can share. */
export function readView(params: URLSearchParams): LineageView {
  const direction = params.get('direction') as LineageDirection | null;
  const depth = Number(params.get('depth') ?? 2);
  const view: LineageView = {
    direction: direction && DIRECTIONS.includes(direction) ? direction : 'BOTH',
    depth: Number.isInteger(depth) ? Math.min(MAX_DEPTH, Math.max(1, depth)) : 2,
  };
  const urn = params.get('columnOf');
  const column = params.get('column');
  if (urn && column) view.column = { urn, column };
  return view;
}

export function writeView(view: LineageView): URLSearchParams {
  const params = new URLSearchParams({ direction: view.direction, depth: String(view.depth) });
  if (view.column) {
    params.set('columnOf', view.column.urn);
    params.set('column', view.column.column);
  }
  return params;
}
