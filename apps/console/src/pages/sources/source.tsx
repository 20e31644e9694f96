import { useCallback } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from '@apollo/client/react';
import { ConsoleScanRunsDocument, ConsoleSourceDocument } from '@dataos/client';
import { DatasetTable } from '../../ui/DatasetTable.js';
import { Loading } from '../../ui/Loading.js';
import { PageError } from '../../ui/PageError.js';
import { Part } from '../../ui/Part.js';
import { FOLLOW_EVERY_MS, scheduleText } from './scan-format.js';
import { ScanHistory } from './ScanHistory.js';
import { ScanNow } from './ScanNow.js';

/** Datasets listed on the page; the rest are a catalog search away. */
const DATASETS = 100;
/** Runs in the history. */
const RUNS = 20;

/** A source: what it is, how Metis scans it, its scans (with Scan now), its datasets. */
export default function SourcePage() {
  const name = useParams().name ?? '';
  const { data, error, loading, refetch } = useQuery(ConsoleSourceDocument, { variables: { name, first: DATASETS } });
  // The history is its own query, so that following a run re-reads only it.
  const runs = useQuery(ConsoleScanRunsDocument, { variables: { depot: name, first: RUNS } });
  const { startPolling, stopPolling, refetch: refetchRuns } = runs;
  const follow = useCallback(
    (on: boolean) => (on ? startPolling(FOLLOW_EVERY_MS) : stopPolling()),
    [startPolling, stopPolling],
  );
  const refresh = useCallback(
    (ended: boolean) => {
      void refetchRuns();
      if (ended) void refetch();
    },
    [refetch, refetchRuns],
  );

  const source = data?.source;
  if (loading && !source) return <Loading label="Loading the source" />;
  if (!source) {
    return (
      <section className="page">
        <h1>{name}</h1>
        <PageError error={error} />
        <p>
          No source of that name. <Link to="/sources">All sources</Link>.
        </p>
      </section>
    );
  }
  const datasets = source.datasets;
  const history = runs.data?.source?.scanRuns ?? [];
  return (
    <article className="page">
      <p className="muted">
        <Link to="/sources">Sources</Link>
      </p>
      <h1>{source.name}</h1>
      {source.description ? <p>{source.description}</p> : null}
      <dl className="facts">
        <dt>Type</dt>
        <dd>{source.type}</dd>
        <dt>Scanned</dt>
        <dd>
          {scheduleText(source.scanSchedule)}
          {source.scanSchedule ? <span className="muted"> ({source.scanSchedule.type} catalog)</span> : null}
        </dd>
        <dt>Address</dt>
        <dd className="mono">dataos://{source.name}</dd>
      </dl>

      <section aria-labelledby="source-scans">
        <h2 id="source-scans">Scans</h2>
        <ScanNow key={source.name} depot={source.name} runs={history} follow={follow} refresh={refresh} />
        <PageError error={runs.error} />
        <Part error={runs.error} path={['source', 'scanRuns']} what="its scans">
          {runs.loading && !runs.data ? (
            <Loading label="Loading the scans" />
          ) : (
            <ScanHistory depot={source.name} runs={history} />
          )}
        </Part>
      </section>

      <section aria-labelledby="source-datasets">
        <h2 id="source-datasets">Datasets</h2>
        <Part error={error} path={['source', 'datasets']} what="its datasets">
          <DatasetTable
            label={`Datasets of ${source.name}`}
            datasets={datasets.edges.map((e) => e.node)}
            fact={{ title: 'Kind', of: (d) => d.kind.toLowerCase() }}
            empty="No dataset you may read in this source."
          />
          {datasets.totalCount > datasets.edges.length ? (
            <p>
              {(datasets.totalCount - datasets.edges.length).toLocaleString('en')} more:{' '}
              <Link to={`/catalog?source=${encodeURIComponent(source.name)}`}>all of them in the catalog</Link>.
            </p>
          ) : null}
        </Part>
      </section>
    </article>
  );
}
