import type { ConsoleDatasetPreviewQuery } from '@dataos/client';
import { changesValue, type ColumnMask } from './masks.js';

type Preview = NonNullable<NonNullable<ConsoleDatasetPreviewQuery['dataset']>['preview']>;

const show = (value: unknown) => (value === null || value === undefined ? 'null' : String(value));

/** The first rows as the Gateway serves them to this user: masked values stay masked, marked in the header. */
export function PreviewTable({ preview, masks }: { preview: Preview; masks: Map<string, ColumnMask> | undefined }) {
  return (
    <>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Preview rows">
        <table className="grid" aria-label="Preview">
          <thead>
            <tr>
              {preview.columns.map((c) => {
                const mask = masks?.get(c.name.toLowerCase());
                return (
                  <th key={c.name} scope="col">
                    <span className="mono">{c.name}</span>
                    {mask && changesValue(mask) ? (
                      <>
                        {' '}
                        <span className="chip chip-masked" title={`masked by ${mask.policy ?? 'a policy'}`}>
                          masked
                        </span>
                      </>
                    ) : null}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((row, r) => (
              <tr key={r}>
                {(Array.isArray(row) ? row : []).map((value: unknown, c) => (
                  <td key={c} className="mono">
                    {show(value)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted">
        {preview.rowCount} row{preview.rowCount === 1 ? '' : 's'}
        {preview.policies.length
          ? `; data policies applied: ${preview.policies.join(', ')}`
          : '; no data policy applied'}
        .
      </p>
    </>
  );
}
