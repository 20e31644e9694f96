import { useMemo, useState } from 'react';
import { useQuery } from '@apollo/client/react';
import { ConsolePodEventStatsDocument } from '@dataos/client';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Loading } from '../../ui/Loading.js';
import { PageError } from '../../ui/PageError.js';
import { Part } from '../../ui/Part.js';
import { STEPS, boundaries, chartRows, type Step } from './stats.js';

/** Colours per phase, each with at least 3:1 contrast on white (WCAG non-text contrast). */
const PHASE_COLOURS: Record<string, string> = {
  PENDING: '#8a6100',
  RUNNING: '#1f5fbf',
  SUCCEEDED: '#1b6b2f',
  FAILED: '#b3261e',
  UNKNOWN: '#5f6b7a',
};

/** Pod events over time from Caretaker's hourly rollups (`podEventStats`), by phase, with totals per namespace. */
export function EventsPage() {
  const [step, setStep] = useState<Step>('hour');
  const [namespace, setNamespace] = useState('');
  const variables = useMemo(
    () => ({ ...boundaries(step, Date.now()), ...(namespace ? { ns: namespace } : {}) }),
    [step, namespace],
  );
  const { data, error, loading } = useQuery(ConsolePodEventStatsDocument, {
    variables: variables as never,
  });
  const buckets = data
    ? [data.h0, data.h1, data.h2, data.h3, data.h4, data.h5, data.h6, data.h7, data.h8, data.h9, data.h10, data.h11]
    : [];
  const rows = chartRows(buckets, step);
  const whole = data?.whole;
  return (
    <section className="page page-wide" aria-labelledby="events-title">
      <h2 id="events-title">Pod events</h2>
      <form className="filters" aria-label="Event chart settings" onSubmit={(e) => e.preventDefault()}>
        <label>
          Each bar
          <select value={step} onChange={(e) => setStep(e.target.value as Step)}>
            {Object.keys(STEPS).map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Namespace
          <input value={namespace} onChange={(e) => setNamespace(e.target.value.trim())} placeholder="all" />
        </label>
      </form>
      <PageError error={error} />
      {loading && !data ? <Loading label="Counting events" /> : null}
      <Part error={error} path={['whole']} what="pod event statistics">
        <figure className="chart" aria-labelledby="events-caption">
          <figcaption id="events-caption">
            {whole
              ? `${whole.total} events in the last 12 ${step === 'day' ? 'days' : step === 'hour' ? 'hours' : 'periods of 4 hours'}, ${whole.archived} of them archived`
              : ''}
          </figcaption>
          <ResponsiveContainer width="100%" height={320}>
            <BarChart data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="label" />
              <YAxis allowDecimals={false} />
              <Tooltip />
              <Legend />
              {Object.entries(PHASE_COLOURS).map(([phase, colour]) => (
                <Bar
                  key={phase}
                  dataKey={phase}
                  name={phase.toLowerCase()}
                  stackId="phase"
                  fill={colour}
                  isAnimationActive={false}
                />
              ))}
            </BarChart>
          </ResponsiveContainer>
        </figure>
        {/* The chart's numbers as a table too: readable without the picture. */}
        <details>
          <summary>Events per period as a table</summary>
          <table className="grid" aria-label="Events per period">
            <thead>
              <tr>
                <th scope="col">From</th>
                {Object.keys(PHASE_COLOURS).map((p) => (
                  <th key={p} scope="col">
                    {p.toLowerCase()}
                  </th>
                ))}
                <th scope="col">total</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={String(r.label)}>
                  <th scope="row">{r.label}</th>
                  {Object.keys(PHASE_COLOURS).map((p) => (
                    <td key={p}>{r[p]}</td>
                  ))}
                  <td>{r.total}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
        {whole ? (
          <>
            <h3>By namespace</h3>
            <table className="grid" aria-label="Events by namespace">
              <thead>
                <tr>
                  <th scope="col">Namespace</th>
                  <th scope="col">Events</th>
                  <th scope="col">Failed</th>
                  <th scope="col">Deleted</th>
                </tr>
              </thead>
              <tbody>
                {whole.byNamespace.map((n) => (
                  <tr key={n.namespace}>
                    <th scope="row">{n.namespace}</th>
                    <td>{n.events}</td>
                    <td>{n.failed}</td>
                    <td>{n.deleted}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : null}
      </Part>
    </section>
  );
}
