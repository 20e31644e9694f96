import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useQuery, useSubscription } from '@apollo/client/react';
import { ConsoleDecisionLoggedDocument, ConsoleDecisionsDocument, type ConsoleDecisionFragment } from '@dataos/client';
import { LiveBadge } from '../../live/index.js';
import { Loading } from '../../ui/Loading.js';
import { PageError } from '../../ui/PageError.js';
import { accessPolicyPath } from './paths.js';

const PAGE = 100;
/** New decisions kept above the page at most: a busy log must not grow the page without bound. */
const LIVE_MAX = 500;
const FIELDS = ['subject', 'action', 'path', 'allowed', 'requestId', 'since', 'until', 'policy'] as const;
type Field = (typeof FIELDS)[number];

/** The URL's filter as the API's DecisionLogFilter (`policy` is matched here: the log has no such filter). */
export function decisionFilterOf(params: URLSearchParams) {
  const get = (k: Field) => params.get(k)?.trim() || undefined;
  const allowed = get('allowed');
  const time = (v: string | undefined) => (v && !Number.isNaN(Date.parse(v)) ? new Date(v).toISOString() : undefined);
  const since = time(get('since'));
  const until = time(get('until'));
  return {
    ...(get('subject')
      ? { subject: get('subject')!.includes(':') ? get('subject')! : `users:id:${get('subject')}` }
      : {}),
    ...(get('action') ? { action: get('action')! } : {}),
    ...(get('path') ? { pathPrefix: get('path')! } : {}),
    ...(allowed === 'yes' || allowed === 'no' ? { allowed: allowed === 'yes' } : {}),
    ...(get('requestId') ? { requestId: get('requestId')! } : {}),
    ...(since ? { since } : {}),
    ...(until ? { until } : {}),
  };
}

/** Heimdall's decision log, newest first: who asked to do what, allowed or not, by which policies and why. */
export function DecisionsPage() {
  const [params, setParams] = useSearchParams();
  const [form, setForm] = useState(
    () => Object.fromEntries(FIELDS.map((f) => [f, params.get(f) ?? ''])) as Record<Field, string>,
  );
  const filter = useMemo(() => decisionFilterOf(params), [params]);
  const policy = params.get('policy')?.trim() ?? '';
  const { data, error, loading, fetchMore, refetch } = useQuery(ConsoleDecisionsDocument, {
    variables: { first: PAGE, filter },
    notifyOnNetworkStatusChange: true,
    fetchPolicy: 'network-only',
  });
  // Decisions logged since the page was read, newest first, from decisionLogged with the same filter.
  const [live, setLive] = useState<ConsoleDecisionFragment[]>([]);
  useEffect(() => setLive([]), [filter]);
  const { error: liveError } = useSubscription(ConsoleDecisionLoggedDocument, {
    variables: { filter },
    onData: ({ data: event }) => {
      const entry = event.data?.decisionLogged.entry;
      if (entry) setLive((current) => [entry, ...current.filter((e) => e.id !== entry.id)].slice(0, LIVE_MAX));
    },
  });
  const edges = useMemo(() => {
    const read = data?.decisions.edges.map((e) => e.node) ?? [];
    const known = new Set(read.map((n) => n.id));
    // A decision both on the page and on the feed (logged while the page was read) shows once.
    return [...live.filter((n) => !known.has(n.id)), ...read]
      .filter((node) => !policy || node.policies.includes(policy))
      .map((node) => ({ node }));
  }, [data, live, policy]);
  const set = (f: Field) => (e: { target: { value: string } }) => setForm((v) => ({ ...v, [f]: e.target.value }));

  return (
    <section className="page page-wide" aria-labelledby="decisions-title">
      <h2 id="decisions-title">
        Decision log <LiveBadge />
      </h2>
      <form
        className="filters"
        aria-label="Decision filters"
        onSubmit={(e) => {
          e.preventDefault();
          setParams(Object.fromEntries(Object.entries(form).filter(([, v]) => v.trim() !== '')));
        }}
      >
        <label>
          Subject
          <input value={form.subject} onChange={set('subject')} placeholder="users:id:alice" />
        </label>
        <label>
          Action
          <input value={form.action} onChange={set('action')} placeholder="read" size={8} />
        </label>
        <label>
          Object path starts with
          <input value={form.path} onChange={set('path')} placeholder="dataos://icebase:retail/" />
        </label>
        <label>
          Allowed
          <select value={form.allowed} onChange={set('allowed')}>
            <option value="">any</option>
            <option value="yes">allowed</option>
            <option value="no">denied</option>
          </select>
        </label>
        <label>
          Policy
          <input value={form.policy} onChange={set('policy')} size={14} />
        </label>
        <label>
          Request id
          <input value={form.requestId} onChange={set('requestId')} size={14} />
        </label>
        <label>
          Since
          <input type="datetime-local" value={form.since} onChange={set('since')} />
        </label>
        <label>
          Until
          <input type="datetime-local" value={form.until} onChange={set('until')} />
        </label>
        <button type="submit">Filter</button>
        <button
          type="button"
          onClick={() => {
            setLive([]);
            void refetch();
          }}
        >
          Refresh
        </button>
      </form>
      <PageError error={error} />
      <PageError error={liveError} />
      {loading && !data ? <Loading label="Reading the decision log" /> : null}
      <table className="grid" aria-label="Decisions">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Subject</th>
            <th scope="col">Action</th>
            <th scope="col">Object</th>
            <th scope="col">Decision</th>
            <th scope="col">Policies</th>
            <th scope="col">Reason</th>
            <th scope="col">Request</th>
          </tr>
        </thead>
        <tbody>
          {edges.map(({ node }) => (
            <tr key={node.id}>
              <th scope="row">{new Date(node.time).toLocaleString()}</th>
              <td className="mono">{node.subject}</td>
              <td>{node.action}</td>
              <td className="mono">{[node.object.path, ...node.object.tags].filter(Boolean).join(', ')}</td>
              <td className={node.allowed ? 'allowed' : 'denied'}>{node.allowed ? 'allowed' : 'denied'}</td>
              <td>
                {node.policies.map((p) => (
                  <Link key={p} className="chip" to={accessPolicyPath(p)}>
                    {p}
                  </Link>
                ))}
              </td>
              <td>{node.reason}</td>
              <td className="mono">{node.requestId ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {!loading && edges.length === 0 ? <p className="muted">No decisions match.</p> : null}
      {data?.decisions.pageInfo.hasNextPage && !loading ? (
        <button
          type="button"
          onClick={() =>
            void fetchMore({
              variables: { after: data.decisions.pageInfo.endCursor },
              updateQuery: (previous, { fetchMoreResult }) => ({
                ...fetchMoreResult,
                decisions: {
                  ...fetchMoreResult.decisions,
                  edges: [...previous.decisions.edges, ...fetchMoreResult.decisions.edges],
                },
              }),
            })
          }
        >
          Older decisions
        </button>
      ) : null}
    </section>
  );
}
