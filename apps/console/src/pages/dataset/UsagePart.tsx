import type { ReactNode } from 'react';
import type { ConsoleDatasetUsageQuery, UsageWindow } from '@dataos/client';
import { Ago } from './ProfilePart.js';
import { formatCount, subjectName } from './stats-format.js';

type Usage = NonNullable<ConsoleDatasetUsageQuery['dataset']>['usage'];

export const USAGE_WINDOWS: readonly { value: UsageWindow; label: string }[] = [
  { value: 'D1', label: '1 day' },
  { value: 'D7', label: '7 days' },
  { value: 'D30', label: '30 days' },
];

/** Columns shown in "most used columns": the API gives them all, most queried first. */
const TOP_COLUMNS = 10;

export function UsageWindowSwitch({ value, onChange }: { value: UsageWindow; onChange: (w: UsageWindow) => void }) {
  return (
    <div role="group" aria-label="Usage window" className="segmented">
      {USAGE_WINDOWS.map((w) => (
        <button key={w.value} type="button" aria-pressed={value === w.value} onClick={() => onChange(w.value)}>
          {w.label}
        </button>
      ))}
    </div>
  );
}

/**
 * A top list the API gives only to readers of everyone's query history: null says so, an empty
 * list says nobody, so the two never look alike.
 */
function RankedList<T>(props: {
  id: string;
  title: string;
  items: readonly T[] | null;
  empty: string;
  render: (item: T) => ReactNode;
}) {
  const { id, title, items, empty, render } = props;
  return (
    <section aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      {items === null ? (
        <p className="muted">Not shown to you: it needs read access to everyone’s query history.</p>
      ) : items.length ? (
        <ol aria-label={title}>{items.map(render)}</ol>
      ) : (
        <p className="muted">{empty}</p>
      )}
    </section>
  );
}

/** How much the dataset was queried through the Gateway: counts, who and what (for those who may see it). */
export function UsageSummary({ usage }: { usage: Usage }) {
  const columns = usage.columns.filter((c) => c.queries > 0).slice(0, TOP_COLUMNS);
  return (
    <>
      <dl className="facts">
        <dt>Queries</dt>
        <dd>{formatCount(usage.queries)}</dd>
        <dt>Distinct users</dt>
        <dd>{formatCount(usage.distinctUsers)}</dd>
        <dt>Last queried</dt>
        <dd>{usage.lastQueriedAt ? <Ago iso={usage.lastQueriedAt} /> : 'never in this window'}</dd>
      </dl>
      <div className="usage-lists">
        <section aria-labelledby="usage-columns">
          <h3 id="usage-columns">Most used columns</h3>
          {columns.length ? (
            <ol aria-label="Most used columns">
              {columns.map((c) => (
                <li key={c.name}>
                  <span className="mono">{c.name}</span> <span className="muted">{formatCount(c.queries)}</span>
                </li>
              ))}
            </ol>
          ) : (
            <p className="muted">No column named by a query in this window.</p>
          )}
        </section>
        <RankedList
          id="usage-users"
          title="Top users"
          items={usage.topUsers}
          empty="Nobody queried it in this window."
          render={(u) => (
            <li key={u.subject}>
              <span title={u.subject}>{subjectName(u.subject)}</span>{' '}
              <span className="muted">{formatCount(u.queries)}</span>
            </li>
          )}
        />
        <RankedList
          id="usage-queries"
          title="Top queries"
          items={usage.topQueries}
          empty={
            usage.queries
              ? 'None you may see: a query is shown only when you may read every dataset it names.'
              : 'Nobody queried it in this window.'
          }
          render={(q) => (
            <li key={q.sql}>
              <code className="sql" title={q.sql}>
                {q.sql}
              </code>{' '}
              <span className="muted">{formatCount(q.queries)} runs</span>
            </li>
          )}
        />
      </div>
    </>
  );
}
