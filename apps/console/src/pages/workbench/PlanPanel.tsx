import { Link } from 'react-router';
import { datasetPath } from '../../app/routes.js';
import { appliedFilters, PASS_THROUGH } from './columnMasks.js';
import type { Plan } from './useWorkbench.js';

/**
 * What the Gateway does to the caller's query, per dataset read: masked columns with the policy
 * that masked them, exemptions, and the row filters applied. The rewritten SQL only for those who
 * may manage data policies (the API answers null for everyone else).
 */
export function PlanPanel({ plan, title = 'Masks and row filters' }: { plan: Plan; title?: string }) {
  const { filters, exemptions } = appliedFilters(plan.scans);
  return (
    <section className="plan-panel" aria-labelledby="plan-title">
      <h2 id="plan-title">{title}</h2>
      {plan.scans.length === 0 ? <p>The query reads no dataset.</p> : null}
      {plan.scans.map((scan, i) => {
        const masked = scan.columns.filter((c) => c.mask && c.mask !== PASS_THROUGH);
        const clear = scan.columns.filter((c) => c.mask === PASS_THROUGH);
        return (
          <div key={`${scan.dataset}-${i}`} className="plan-scan">
            <h3>
              <Link to={datasetPath(scan.dataset)}>{scan.dataset}</Link>
              {scan.aliases.length > 0 ? <span className="muted"> as {scan.aliases.join(', ')}</span> : null}
            </h3>
            {masked.length === 0 ? (
              <p>No column is masked for you.</p>
            ) : (
              <ul className="plan-list" aria-label={`Masked columns of ${scan.dataset}`}>
                {masked.map((c) => (
                  <li key={c.name}>
                    <span className="mono">{c.name}</span>{' '}
                    <span className="chip chip-masked">
                      {c.mask?.toLowerCase()} by {c.policy}
                    </span>
                    {c.tags.length > 0 ? <span className="muted"> ({c.tags.join(', ')})</span> : null}
                  </li>
                ))}
              </ul>
            )}
            {clear.length > 0 ? (
              <p>
                In clear thanks to an exemption:{' '}
                {clear.map((c) => (
                  <span key={c.name}>
                    <span className="mono">{c.name}</span> <span className="chip">{c.policy}</span>{' '}
                  </span>
                ))}
              </p>
            ) : null}
          </div>
        );
      })}
      <h3>Row filters applied</h3>
      {filters.length === 0 ? (
        <p>None: you see every row of what you read.</p>
      ) : (
        <ul className="plan-list" aria-label="Row filters applied">
          {filters.map((f) => (
            <li key={`${f.dataset} ${f.policy}`}>
              <span className="chip">{f.policy}</span> on <span className="mono">{f.dataset}</span>
            </li>
          ))}
        </ul>
      )}
      {exemptions.length > 0 ? (
        <p>
          Filters lifted by:{' '}
          {exemptions.map((e) => (
            <span key={`${e.dataset} ${e.policy}`} className="chip">
              {e.policy}
            </span>
          ))}
        </p>
      ) : null}
      {plan.rewrittenSql ? (
        <details>
          <summary>SQL as the Gateway runs it</summary>
          <pre className="sql-block">{plan.rewrittenSql}</pre>
        </details>
      ) : null}
    </section>
  );
}
