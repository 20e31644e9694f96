import { useMutation } from '@apollo/client/react';
import {
  ConsoleProfileDatasetDocument,
  type ConsoleDatasetProfileQuery,
  type ConsoleProfileRunFragment,
} from '@dataos/client';
import { errorCode, errorKind, graphQLErrors } from '../../graphql/errors.js';
import type { ColumnMask } from './masks.js';
import { exactTime, formatCount, runDuration, formatPercent, relativeTime, withheldReason } from './stats-format.js';

type Profiled = NonNullable<ConsoleDatasetProfileQuery['dataset']>;
export type ColumnProfile = NonNullable<Profiled['columns'][number]['profile']>;

/** A time as "3 hours ago", the exact time in its title. */
export function Ago({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <>—</>;
  return (
    <time dateTime={iso} title={exactTime(iso)}>
      {relativeTime(iso)}
    </time>
  );
}

function RunSummary({ run }: { run: ConsoleProfileRunFragment }) {
  return (
    <>
      <span className={`run-status run-${run.status.toLowerCase()}`}>{run.status.toLowerCase()}</span>, started{' '}
      <Ago iso={run.startedAt} />
      {run.finishedAt ? <>, took {runDuration(run.startedAt, run.finishedAt)}</> : null}
      {run.cluster ? (
        <>
          {' '}
          on cluster <span className="mono">{run.cluster}</span>
        </>
      ) : null}
      , {formatCount(run.columns)} column{run.columns === 1 ? '' : 's'}
      {run.error ? <div className="stat-error">Failed: {run.error}</div> : null}
    </>
  );
}

/** What the Profile now button answered, for people: a refusal or a failure in words, never a raw error. */
export function profileFailure(error: unknown): string | undefined {
  if (!error) return undefined;
  const errors = graphQLErrors(error);
  if (errors.some((e) => errorKind(e) === 'no-access'))
    return 'You may not profile this dataset: profiling needs write access to it (its stewards have it).';
  if (errors.some((e) => errorCode(e) === 'SERVICE_UNAVAILABLE'))
    return 'Profiling is off: Metis has no Gateway to profile through.';
  if (errors.some((e) => errorKind(e) === 'subgraph-down')) return 'Metis did not answer: try again later.';
  const message = errors[0]?.message ?? (error instanceof Error ? error.message : undefined);
  return `The profile could not run${message ? `: ${message}` : '.'}`;
}

interface Props {
  urn: string;
  profile: Profiled['profile'] | undefined;
  /** Called after a run (succeeded or failed), to read the profile again. */
  onProfiled: () => void;
}

/** The dataset's profile: row count, when, the last run; and a button to profile it now (`write` on it). */
export function ProfileSummary({ urn, profile, onProfiled }: Props) {
  const [run, state] = useMutation(ConsoleProfileDatasetDocument);
  const profileNow = async () => {
    try {
      await run({ variables: { urn } });
    } catch {
      // A network failure: `state.error` holds it and the status below says so.
    } finally {
      onProfiled();
    }
  };
  const failure = profileFailure(state.error);
  const answered = state.data?.profileDataset;
  return (
    <>
      {profile ? (
        <dl className="facts">
          <dt>Rows</dt>
          <dd>{formatCount(profile.rowCount)}</dd>
          <dt>Profiled</dt>
          <dd>
            <Ago iso={profile.profiledAt} />
          </dd>
          <dt>Last run</dt>
          <dd>
            <RunSummary run={profile.lastRun} />
          </dd>
        </dl>
      ) : (
        <p className="muted">Not profiled yet.</p>
      )}
      <p>
        <button type="button" disabled={state.loading} onClick={() => void profileNow()}>
          {state.loading ? 'Profiling…' : 'Profile now'}
        </button>{' '}
        <span role="status" aria-live="polite">
          {state.loading ? 'Running one aggregate query through the Gateway…' : null}
          {!state.loading && answered ? (
            answered.status === 'SUCCEEDED' ? (
              `Profiled ${formatCount(answered.columns)} columns in ${runDuration(answered.startedAt, answered.finishedAt)}.`
            ) : (
              <span className="stat-error">
                The profile run {answered.status.toLowerCase()}: {answered.error ?? 'no reason given'}
              </span>
            )
          ) : null}
          {!state.loading && failure ? <span className="stat-error">{failure}</span> : null}
        </span>
      </p>
    </>
  );
}

/** One column's numbers for the schema table: nulls (and their share), distinct values, min and max or why not. */
export function ProfileCell({
  profile,
  rowCount,
  gateway,
}: {
  profile: ColumnProfile | null | undefined;
  rowCount: number | null | undefined;
  /** The Gateway's decision for this reader on the column; undefined while pending or missing. */
  gateway: { mask: ColumnMask | undefined; rowFiltered: boolean } | undefined;
}) {
  if (!profile) return <span className="muted">not profiled</span>;
  // Out of the rows of the run that profiled this column (a job's run may have profiled it, not Metis).
  const rows = profile.rowCount ?? rowCount;
  return (
    <dl className="profile-cell">
      <dt>nulls</dt>
      <dd>
        {formatCount(profile.nullCount)}
        {profile.nullCount != null && rows ? ` (${formatPercent(profile.nullCount, rows)})` : ''}
      </dd>
      <dt>distinct</dt>
      <dd>{formatCount(profile.distinctCount)}</dd>
      {profile.masked ? (
        <>
          <dt>min / max</dt>
          <dd className="withheld">{withheldReason(gateway)}</dd>
        </>
      ) : profile.min != null || profile.max != null ? (
        <>
          <dt>min</dt>
          <dd className="mono">{profile.min ?? '—'}</dd>
          <dt>max</dt>
          <dd className="mono">{profile.max ?? '—'}</dd>
        </>
      ) : null}
    </dl>
  );
}
