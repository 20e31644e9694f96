import { useCallback, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useQuery } from '@apollo/client/react';
import { ConsoleClustersDocument, ConsoleWhoamiDocument } from '@dataos/client';
import { sql as sqlLanguage } from '@codemirror/lang-sql';
import { CodeEditor, type EditorMark } from '../../ui/CodeEditor.js';
import { Part } from '../../ui/Part.js';
import { columnMarks } from './columnMasks.js';
import { PlanPanel } from './PlanPanel.js';
import { QueryHistory } from './QueryHistory.js';
import { ResultTable } from './ResultTable.js';
import { MAX_ROWS_HELD } from './resultPages.js';
import { useWorkbench } from './useWorkbench.js';
import './workbench.css';

const DEFAULT_SQL = 'SELECT * FROM icebase.retail.customers';
const language = sqlLanguage();

/** Clusters that take queries (the Gateway refuses PROVISIONING and STOPPED ones). */
const usable = (state: string) => state === 'RUNNING' || state === 'DEGRADED';

/**
 * The Workbench: SQL on Minerva clusters through the Gateway, as the signed-in user. Results come
 * masked and filtered exactly as the Gateway answers; each masked column names its policy.
 * `?sql=` opens a query (links from dataset pages), `?cluster=` picks a cluster.
 */
export default function WorkbenchPage() {
  const [search, setSearch] = useSearchParams();
  const [sql, setSql] = useState(() => search.get('sql') ?? DEFAULT_SQL);
  const [cluster, setCluster] = useState<string>(() => search.get('cluster') ?? '');
  const [historyVersion, setHistoryVersion] = useState(0);
  const clusters = useQuery(ConsoleClustersDocument);
  const whoami = useQuery(ConsoleWhoamiDocument);
  const bench = useWorkbench();
  const { state } = bench;

  const start = useCallback(
    async (what: 'run' | 'explain') => {
      if (sql.trim() === '') return;
      setSearch(
        (old) => {
          const next = new URLSearchParams(old);
          next.delete('sql');
          return next;
        },
        { replace: true },
      );
      if (what === 'run') {
        await bench.run(sql, cluster || undefined);
        setHistoryVersion((v) => v + 1);
      } else await bench.explain(sql, cluster || undefined);
    },
    [bench, sql, cluster, setSearch],
  );

  // A syntax error is underlined where the Gateway says, in the text that ran (if still shown).
  const marks = useMemo<EditorMark[]>(() => {
    if (state.status !== 'failed' || !state.error.at || state.sql !== sql) return [];
    return [{ from: state.error.at.offset, message: state.error.message }];
  }, [state, sql]);

  const resultMarks = useMemo(
    () => (state.status === 'done' && state.plan ? columnMarks(state.result.columns, state.plan.scans) : null),
    [state],
  );
  const list = clusters.data?.clusters ?? [];

  return (
    <section className="page workbench" aria-labelledby="workbench-title">
      <h1 id="workbench-title">Workbench</h1>
      <div className="toolbar">
        <label>
          Cluster{' '}
          <Part error={clusters.error} path={['clusters']} what="the clusters">
            <select value={cluster} onChange={(e) => setCluster(e.target.value)}>
              <option value="">Default cluster</option>
              {list.map((c) => (
                <option key={c.name} value={c.name} disabled={!usable(c.state)}>
                  {c.name} ({c.engine.toLowerCase()}, {c.state.toLowerCase()})
                </option>
              ))}
            </select>
          </Part>
        </label>
        <button type="button" onClick={() => void start('run')} disabled={bench.busy || sql.trim() === ''}>
          Run
        </button>
        <button type="button" onClick={bench.cancel} disabled={!bench.busy}>
          Cancel
        </button>
        <button type="button" onClick={() => void start('explain')} disabled={bench.busy || sql.trim() === ''}>
          Explain
        </button>
        <span className="muted">Ctrl+Enter runs.</span>
      </div>
      <CodeEditor
        value={sql}
        onChange={setSql}
        label="SQL query"
        language={language}
        marks={marks}
        onRun={() => void start('run')}
        minHeight="8rem"
      />

      <div aria-live="polite" className="run-status">
        {state.status === 'running' ? <p role="status">Running…</p> : null}
        {state.status === 'cancelled' ? (
          <p role="status">
            Cancelled. The Gateway has no cancel operation: it ends the query at its own time limit, and the run appears
            in your history.
          </p>
        ) : null}
      </div>

      {state.status === 'failed' ? (
        <div className="notice notice-error" role="alert">
          {state.error.at ? (
            <strong>
              Line {state.error.at.line}, column {state.error.at.column}:{' '}
            </strong>
          ) : null}
          {state.error.message}
          {state.error.code ? (
            <span className="muted"> ({[state.error.code, state.error.reason].filter(Boolean).join(', ')})</span>
          ) : null}
        </div>
      ) : null}

      {state.status === 'done' ? (
        <section aria-labelledby="results-title" className="results">
          <h2 id="results-title">Results</h2>
          <p className="result-summary" role="status">
            {state.result.rows.length} row{state.result.rows.length === 1 ? '' : 's'}
            {state.result.hasMore ? ' so far' : ''} in {Math.round(state.result.durationMs)} ms on {state.ranOn}
            {state.result.policies.length > 0 ? <> · policies applied: {state.result.policies.join(', ')}</> : null}
          </p>
          {state.planError ? (
            <p className="notice notice-down">Which columns are masked could not be told: {state.planError}</p>
          ) : null}
          {state.result.columns.length > 0 ? (
            <ResultTable
              result={state.result}
              marks={resultMarks}
              onNeedMore={() => void bench.loadMore()}
              loadingMore={bench.loadingMore}
            />
          ) : null}
          <div className="result-more">
            {bench.loadingMore ? <span role="status">Loading more rows…</span> : null}
            {state.result.cursor && !bench.loadingMore ? (
              <button type="button" onClick={() => void bench.loadMore()}>
                More rows
              </button>
            ) : null}
            {state.result.capped ? (
              <span className="muted">
                The console holds at most {MAX_ROWS_HELD.toLocaleString()} rows: refine the query for the rest.
              </span>
            ) : null}
            {bench.moreError ? (
              <span className="notice notice-error" role="alert">
                {bench.moreError}
              </span>
            ) : null}
          </div>
          {state.plan ? <PlanPanel plan={state.plan} /> : null}
        </section>
      ) : null}

      {state.status === 'explained' ? <PlanPanel plan={state.plan} title="Explain: masks and row filters" /> : null}

      <QueryHistory
        user={whoami.data?.whoami.id}
        version={historyVersion}
        onOpen={(text, name) => {
          setSql(text);
          setCluster(list.some((c) => c.name === name) ? name : '');
        }}
      />
    </section>
  );
}
