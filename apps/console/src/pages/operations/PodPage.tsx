import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery, useSubscription } from '@apollo/client/react';
import { ConsolePodDocument, ConsolePodEventsDocument } from '@dataos/client';
import { LiveBadge } from '../../live/index.js';
import { Loading } from '../../ui/Loading.js';
import { PageError } from '../../ui/PageError.js';
import { Part } from '../../ui/Part.js';
import { bytes, millicores, when } from './format.js';
import { OPERATIONS, nodePodsPath, resourcePodsPath } from './paths.js';
import { mergeTimeline, sourcesOf, type TimelineEvent } from './timeline.js';

/** The timeline reaches this far back: the archive holds what MongoDB no longer does. */
const HISTORY_DAYS = 30;
const HISTORY_EVENTS = 500;

const SOURCE_LABEL: Record<string, string> = { MONGODB: 'MongoDB', ARCHIVE: 'archive', LIVE: 'live' };

/** One pod: state, containers, conditions, its DataOS resource, and its timeline across MongoDB and the archive, live. */
export function PodPage() {
  const { namespace = '', name = '' } = useParams();
  const range = useMemo(() => {
    const to = new Date(Date.now() + 60_000);
    return { from: new Date(to.getTime() - HISTORY_DAYS * 86_400_000).toISOString(), to: to.toISOString() };
  }, []);
  const { data, error, loading, refetch } = useQuery(ConsolePodDocument, {
    variables: { namespace, name, ...range, first: HISTORY_EVENTS },
  });
  const [live, setLive] = useState<TimelineEvent[]>([]);
  // podEvents filters by namespace; this pod's own events are picked here.
  useSubscription(ConsolePodEventsDocument, {
    variables: { filter: { namespace } },
    onData: ({ data: event }) => {
      const e = event.data?.podEvents;
      if (!e || e.name !== name) return;
      setLive((current) => [...current.slice(-HISTORY_EVENTS), { ...e, source: 'LIVE' }]);
      void refetch();
    },
  });
  const pod = data?.pod;
  const history = (data?.podHistory?.edges ?? []).map(({ node }) => node as TimelineEvent);
  const timeline = mergeTimeline(history, live);
  const sources = sourcesOf(timeline);

  return (
    <section className="page page-wide" aria-labelledby="pod-title">
      <p>
        <Link to={`${OPERATIONS}/pods`}>← Pods</Link>
      </p>
      <div className="title-row">
        <h2 id="pod-title">
          {namespace}/{name}
        </h2>
        <LiveBadge />
      </div>
      <PageError error={error} />
      {loading && !data ? <Loading label="Loading the pod" /> : null}
      <Part error={error} path={['pod']} what="this pod">
        {pod ? (
          <>
            <dl className="facts">
              <dt>Phase</dt>
              <dd>
                <span className={`phase-tag phase-${pod.phase.toLowerCase()}`}>{pod.phase.toLowerCase()}</span>
                {pod.reason ? ` ${pod.reason}` : ''}
                {pod.deleted ? ` (deleted ${when(pod.deletedAt)})` : ''}
              </dd>
              {pod.message ? (
                <>
                  <dt>Message</dt>
                  <dd>{pod.message}</dd>
                </>
              ) : null}
              <dt>Node</dt>
              <dd>{pod.nodeName ? <Link to={nodePodsPath(pod.nodeName)}>{pod.nodeName}</Link> : 'unscheduled'}</dd>
              <dt>Restarts</dt>
              <dd>{pod.restarts}</dd>
              <dt>Owner</dt>
              <dd>{pod.owner ? `${pod.owner.kind} ${pod.owner.name}` : '—'}</dd>
              <dt>Requests</dt>
              <dd>
                {millicores(pod.cpuRequestMillis)}, {bytes(pod.memoryRequestBytes)}
              </dd>
              <dt>Started</dt>
              <dd>{when(pod.startedAt)}</dd>
              <dt>Last change</dt>
              <dd>
                {when(pod.observedAt)} (resourceVersion {pod.resourceVersion})
              </dd>
            </dl>

            <h3>Containers</h3>
            <table className="grid" aria-label="Containers">
              <thead>
                <tr>
                  <th scope="col">Container</th>
                  <th scope="col">Image</th>
                  <th scope="col">State</th>
                  <th scope="col">Ready</th>
                  <th scope="col">Restarts</th>
                  <th scope="col">Exit</th>
                  <th scope="col">Requests / limits</th>
                </tr>
              </thead>
              <tbody>
                {pod.containers.map((c) => (
                  <tr key={c.name}>
                    <th scope="row">{c.name}</th>
                    <td className="mono">{c.image ?? '—'}</td>
                    <td>{c.state.toLowerCase()}</td>
                    <td>{c.ready ? 'yes' : 'no'}</td>
                    <td>{c.restartCount}</td>
                    <td>
                      {c.reason ?? ''}
                      {c.exitCode !== null && c.exitCode !== undefined ? ` (exit ${c.exitCode})` : ''}
                    </td>
                    <td>
                      {millicores(c.cpuRequestMillis)} / {millicores(c.cpuLimitMillis)}, {bytes(c.memoryRequestBytes)} /{' '}
                      {bytes(c.memoryLimitBytes)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>

            <h3>Conditions</h3>
            <table className="grid" aria-label="Conditions">
              <thead>
                <tr>
                  <th scope="col">Condition</th>
                  <th scope="col">Status</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Since</th>
                </tr>
              </thead>
              <tbody>
                {pod.conditions.map((c) => (
                  <tr key={c.type}>
                    <th scope="row">{c.type}</th>
                    <td>{c.status.toLowerCase()}</td>
                    <td>
                      {c.reason ?? ''} {c.message ? <span className="muted">{c.message}</span> : null}
                    </td>
                    <td>{when(c.lastTransitionTime)}</td>
                  </tr>
                ))}
              </tbody>
            </table>

            <h3>DataOS resource</h3>
            <Part error={error} path={['pod', 'resource']} what="the resource in Metis">
              {pod.resource ? (
                <dl className="facts" aria-label="Resource in Metis">
                  <dt>Resource</dt>
                  <dd>
                    <Link to={resourcePodsPath(pod.resource.urn)}>{pod.resource.urn}</Link>
                  </dd>
                  <dt>Kind</dt>
                  <dd>{pod.resource.kind?.toLowerCase() ?? '—'}</dd>
                  <dt>State</dt>
                  <dd>{pod.resource.state ?? '—'}</dd>
                  <dt>Owner</dt>
                  <dd>{pod.resource.owner?.name ?? pod.resource.owner?.id ?? '—'}</dd>
                  {pod.resource.description ? (
                    <>
                      <dt>Description</dt>
                      <dd>{pod.resource.description}</dd>
                    </>
                  ) : null}
                </dl>
              ) : (
                <p className="muted">
                  {pod.resourceUrn ? `${pod.resourceUrn} is not in Metis.` : 'No DataOS resource owns this pod.'}
                </p>
              )}
            </Part>
          </>
        ) : !loading ? (
          <p className="muted">
            No pod {namespace}/{name}.
          </p>
        ) : null}
      </Part>

      <h3 id="timeline-title">Timeline</h3>
      <Part error={error} path={['podHistory']} what="this pod's history">
        <p className="muted">
          Last {HISTORY_DAYS} days:{' '}
          {Object.entries(sources)
            .map(([source, n]) => `${n} from ${SOURCE_LABEL[source] ?? source}`)
            .join(', ') || 'no events'}
          {data?.podHistory?.pageInfo.hasNextPage ? ` (the ${HISTORY_EVENTS} oldest shown)` : ''}
        </p>
        <ol className="timeline" aria-labelledby="timeline-title">
          {timeline.map((e) => (
            <li key={e.id} data-source={e.source}>
              <time dateTime={e.time}>{when(e.time)}</time> <span className="chip">{e.type.toLowerCase()}</span>{' '}
              <span className={`phase-tag phase-${e.phase.toLowerCase()}`}>{e.phase.toLowerCase()}</span>
              {e.reason ? ` ${e.reason}` : ''}
              {e.message ? <span className="muted"> — {e.message}</span> : null}
              <span className="muted">
                {' '}
                · restarts {e.restarts} · {e.nodeName ?? 'no node'} · rv {e.resourceVersion}
              </span>{' '}
              <span className={`chip source source-${e.source.toLowerCase()}`}>
                {SOURCE_LABEL[e.source] ?? e.source}
              </span>
            </li>
          ))}
        </ol>
      </Part>
    </section>
  );
}
