import { Link } from 'react-router';
import type { ConsoleDatasetQuery } from '@dataos/client';
import { domainPath, glossaryPath, sourcePath } from '../../app/routes.js';
import { describeFreshness, formatBytes, freshnessStatus } from './freshness.js';

type Dataset = NonNullable<ConsoleDatasetQuery['dataset']>;

/** Name, URN and the catalog's facts about a dataset, as Metis answers them for this user. */
export function DatasetFacts({ dataset }: { dataset: Dataset }) {
  const status = freshnessStatus(dataset.freshness);
  return (
    <>
      <p className="mono muted" aria-label="URN">
        {dataset.urn}
      </p>
      {dataset.description ? <p>{dataset.description}</p> : <p className="muted">No description.</p>}
      <dl className="facts">
        <dt>Domain</dt>
        <dd>{dataset.domain ? <Link to={domainPath(dataset.domain.name)}>{dataset.domain.name}</Link> : '—'}</dd>
        <dt>Source</dt>
        <dd>
          <Link to={sourcePath(dataset.source.name)}>{dataset.source.name}</Link>{' '}
          <span className="muted">({dataset.source.type})</span>
        </dd>
        <dt>Kind</dt>
        <dd>{[dataset.kind.toLowerCase(), dataset.format, dataset.layer].filter(Boolean).join(' · ')}</dd>
        <dt>Owners</dt>
        <dd>
          {dataset.owners.length
            ? dataset.owners.map((o, i) => (
                <span key={o.id}>
                  {i ? ', ' : ''}
                  {o.name ?? o.id}
                  {o.email ? <span className="muted"> &lt;{o.email}&gt;</span> : null}
                </span>
              ))
            : '—'}
        </dd>
        <dt>Tags</dt>
        <dd>
          {dataset.tags.length ? (
            <ul className="chips" aria-label="Tags">
              {dataset.tags.map((t) => (
                <li key={t} className="chip">
                  {t}
                </li>
              ))}
            </ul>
          ) : (
            '—'
          )}
        </dd>
        <dt>Glossary terms</dt>
        <dd>
          {dataset.glossaryTerms.length
            ? dataset.glossaryTerms.map((t, i) => (
                <span key={t.name}>
                  {i ? ', ' : ''}
                  <Link to={glossaryPath(t.name)}>{t.name}</Link>
                </span>
              ))
            : '—'}
        </dd>
        <dt>Freshness</dt>
        <dd>
          <span className={status === 'stale' ? 'stale' : status === 'fresh' ? 'fresh' : undefined}>
            {describeFreshness(dataset.freshness)}
          </span>
        </dd>
        <dt>Size</dt>
        <dd>
          {dataset.rowCount != null ? `${dataset.rowCount.toLocaleString('en')} rows` : '—'}
          {dataset.sizeBytes != null ? `, ${formatBytes(dataset.sizeBytes)}` : ''}
        </dd>
      </dl>
    </>
  );
}
