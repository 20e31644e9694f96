import { useEffect, useMemo, useRef } from 'react';
import { tableFeatures, useTable, type ColumnDef } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { cellText, wantsNextPage, type ResultState } from './resultPages.js';
import type { ColumnMark } from './columnMasks.js';

type Row = readonly unknown[];

// Core only: the Gateway orders and filters; the table lays out and the virtualizer renders.
const features = tableFeatures({});
const ROW_HEIGHT = 30;

interface Props {
  result: ResultState;
  marks: readonly ColumnMark[] | null;
  /** Asks for the next page (when scrolled near the end); ignored while one is on its way. */
  onNeedMore: () => void;
  loadingMore: boolean;
}

function Mark({ mark }: { mark: ColumnMark | undefined }) {
  if (!mark) return null;
  if (mark.masks.length > 0) {
    const text = mark.masks.map((m) => `${m.operator.toLowerCase()} by ${m.policy ?? 'a policy'}`).join(', ');
    return (
      <span className="chip chip-masked" title={`Masked for you: ${text}`}>
        masked: {text}
      </span>
    );
  }
  if (mark.exemptions.length > 0) {
    const text = mark.exemptions.map((e) => e.policy ?? 'a policy').join(', ');
    return (
      <span className="chip" title={`Shown in clear: ${text} exempts you from the mask`}>
        clear: {text}
      </span>
    );
  }
  return null;
}

/**
 * The rows of a run in a virtualised table: only the rows in view are in the DOM, so ten thousand
 * rows scroll as smoothly as ten. Scrolling near the end fetches the next page by cursor.
 */
export function ResultTable({ result, marks, onNeedMore, loadingMore }: Props) {
  const columns = useMemo<ColumnDef<typeof features, Row>[]>(
    () =>
      result.columns.map((column, index) => ({
        id: `c${index}`,
        header: column.name,
        accessorFn: (row: Row) => row[index],
        cell: (info) => cellText(info.getValue()),
      })),
    [result.columns],
  );
  const data = result.rows as Row[];
  const table = useTable({ features, columns, data });
  const rows = table.getRowModel().rows;
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const last = items[items.length - 1]?.index ?? -1;

  useEffect(() => {
    if (!loadingMore && wantsNextPage(result, last)) onNeedMore();
  }, [last, result, loadingMore, onNeedMore]);

  const widths = result.columns.map((c) => `minmax(${Math.min(Math.max(c.name.length, 8) + 4, 40)}ch, 1fr)`);
  const template = widths.join(' ');

  return (
    <div
      ref={scroller}
      className="result-scroller"
      role="region"
      aria-label="Query results"
      tabIndex={0}
      data-testid="result-scroller"
    >
      <table className="result-table" aria-rowcount={result.rows.length + 1} aria-colcount={result.columns.length}>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} aria-rowindex={1} style={{ gridTemplateColumns: template }}>
              {group.headers.map((header, index) => (
                <th key={header.id} scope="col" aria-colindex={index + 1}>
                  <span className="col-name">{result.columns[index]!.name}</span>{' '}
                  <span className="col-type">{result.columns[index]!.type}</span>
                  <Mark mark={marks?.[index]} />
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rows[item.index]!;
            return (
              <tr
                key={row.id}
                aria-rowindex={item.index + 2}
                style={{ transform: `translateY(${item.start}px)`, gridTemplateColumns: template }}
              >
                {row.getAllCells().map((cell, index) => {
                  const value = cell.getValue();
                  const masked = (marks?.[index]?.masks.length ?? 0) > 0;
                  return (
                    <td
                      key={cell.id}
                      aria-colindex={index + 1}
                      className={[value === null ? 'null' : '', masked ? 'masked' : ''].join(' ').trim() || undefined}
                    >
                      <table.FlexRender cell={cell} />
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
