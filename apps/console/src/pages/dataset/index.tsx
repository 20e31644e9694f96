import { useEffect, useMemo, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { useQuery } from '@apollo/client/react';
import {
  ConsoleDatasetClassificationsDocument,
  ConsoleDatasetConceptsDocument,
  ConsoleDatasetDocument,
  ConsoleDatasetMasksDocument,
  ConsoleDatasetPreviewDocument,
  ConsoleDatasetProfileDocument,
  ConsoleDatasetUsageDocument,
  type UsageWindow,
} from '@dataos/client';
import { conceptPath, lineagePath } from '../../app/routes.js';
import { Loading } from '../../ui/Loading.js';
import { PageError } from '../../ui/PageError.js';
import { Part } from '../../ui/Part.js';
import { inheritedByColumn, SuggestionsPanel } from './Classifications.js';
import { DatasetFacts } from './DatasetFacts.js';
import { masksFor, rowFiltersFor } from './masks.js';
import { PreviewTable } from './PreviewTable.js';
import { ProfileSummary } from './ProfilePart.js';
import { RunsTable } from './RunsTable.js';
import { SchemaTable } from './SchemaTable.js';
import { selectAllSql } from './sql.js';
import { UsageSummary, UsageWindowSwitch } from './UsagePart.js';

/**
 * One dataset: Metis's facts, classifications, profile and usage, Odin's concepts, the Gateway's masks and preview.
 * Seven queries, so a slow engine or a service that is down never holds back or breaks the parts that answered.
 */
export default function DatasetPage() {
  const urn = useParams().urn ?? '';
  const { hash } = useLocation();
  const sql = selectAllSql(urn);

  const facts = useQuery(ConsoleDatasetDocument, { variables: { urn } });
  // The other parts stay out of the normalized cache: they share the root field `dataset(urn)`, and
  // a part whose service is down answers `dataset: null`, which would erase the facts above.
  const apart = { fetchPolicy: 'no-cache' } as const;
  const meaning = useQuery(ConsoleDatasetConceptsDocument, { variables: { urn }, ...apart });
  const policy = useQuery(ConsoleDatasetMasksDocument, { variables: { urn, sql: sql ?? '' }, skip: !sql, ...apart });
  const preview = useQuery(ConsoleDatasetPreviewDocument, { variables: { urn, limit: 10 }, ...apart });
  const classified = useQuery(ConsoleDatasetClassificationsDocument, { variables: { urn }, ...apart });
  // Metis's profile reads the Gateway for the reader's masks: apart, so its failure leaves the page.
  const profiled = useQuery(ConsoleDatasetProfileDocument, { variables: { urn }, ...apart });
  const [usageWindow, setUsageWindow] = useState<UsageWindow>('D7');
  const used = useQuery(ConsoleDatasetUsageDocument, { variables: { urn, window: usageWindow }, ...apart });

  const dataset = facts.data?.dataset;
  const concepts = meaning.data?.dataset;
  const columnConcepts = useMemo(
    () => (concepts ? new Map(concepts.columns.map((c, index) => [c.name, { index, concept: c.concept }])) : undefined),
    [concepts],
  );
  const inherited = useMemo(() => inheritedByColumn(classified.data?.dataset), [classified.data]);
  // Metis does not know Odin's links: a column that already holds a concept needs no concept suggestion.
  const suggestions = classified.data?.dataset?.classificationSuggestions.filter(
    (sg) => sg.kind !== 'CONCEPT' || !columnConcepts?.get(sg.column.name)?.concept,
  );
  const scans = policy.data?.explain?.scans;
  const masks = scans ? masksFor(urn, scans) : undefined;
  const rowFilters = scans ? rowFiltersFor(urn, scans) : undefined;
  const profile = profiled.data?.dataset;
  const profiles = useMemo(
    () =>
      profile
        ? {
            byName: new Map(profile.columns.map((c, index) => [c.name, { index, profile: c.profile }])),
            rowCount: profile.profile?.rowCount,
            error: profiled.error,
          }
        : undefined,
    [profile, profiled.error],
  );
  const usage = used.data?.dataset?.usage;
  const column = hash.startsWith('#column-') ? decodeURIComponent(hash.slice('#column-'.length)) : undefined;

  // A link from a column search hit lands on its row once the schema is there.
  useEffect(() => {
    if (dataset && hash) document.getElementById(hash.slice(1))?.scrollIntoView({ block: 'center' });
  }, [dataset, hash]);

  if (facts.loading && !dataset) return <Loading label="Loading the dataset" />;
  if (!dataset) {
    return (
      <section className="page">
        <h1>Dataset</h1>
        <PageError error={facts.error} />
        {/* Unknown and not readable look alike: the API does not tell them apart, nor does the console. */}
        <p>
          No dataset at <span className="mono">{urn}</span>. <Link to="/catalog">Search the catalog</Link>.
        </p>
      </section>
    );
  }

  return (
    <article className="page">
      <h1>{dataset.name}</h1>
      <DatasetFacts dataset={dataset} />
      <p>
        <Link to={lineagePath(dataset.urn)}>Open the lineage</Link>
      </p>

      <h2>Concepts</h2>
      <Part error={meaning.error} path={['dataset', 'concepts']} what="its concepts">
        {meaning.loading && !concepts ? <Loading label="Loading concepts" /> : null}
        {!concepts ? null : concepts.concepts.length ? (
          <ul className="chips" aria-label="Concepts">
            {concepts.concepts.map((c) => (
              <li key={c.iri} className="chip">
                <Link to={conceptPath(c.iri)}>{c.label}</Link>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No concept linked to the dataset itself.</p>
        )}
      </Part>

      <h2>Schema</h2>
      {/* One notice for the Gateway's whole answer (masks and policies fail together when it is down). */}
      <Part error={policy.error} path={[]} what="the masks applied to you">
        {policy.loading && !scans ? <Loading label="Asking the Gateway which columns are masked for you" /> : null}
        {policy.data?.dataset?.dataPolicies.length ? (
          <p className="muted">
            Data policies that apply to you here:{' '}
            {policy.data.dataset.dataPolicies
              .map((p) => `${p.name} (${p.type.toLowerCase()}${p.mask ? `, ${p.mask.operator.toLowerCase()}` : ''})`)
              .join('; ')}
            {rowFilters?.filters.length ? `. Row filters: ${rowFilters.filters.join(', ')}` : ''}.
          </p>
        ) : null}
      </Part>
      <Part error={facts.error} path={['dataset', 'columns']} what="the columns">
        <SchemaTable
          columns={dataset.columns}
          concepts={columnConcepts}
          conceptsError={meaning.error}
          masks={masks}
          highlighted={column}
          inherited={inherited}
          profiles={profiles}
          rowFiltered={rowFilters ? rowFilters.filters.length > 0 : undefined}
        />
      </Part>

      <section aria-labelledby="dataset-profile">
        <h2 id="dataset-profile">Profile</h2>
        <Part error={profiled.error} path={['dataset', 'profile']} what="its profile">
          {profiled.loading && !profile ? <Loading label="Loading the profile" /> : null}
          {profile ? (
            <ProfileSummary urn={dataset.urn} profile={profile.profile} onProfiled={() => void profiled.refetch()} />
          ) : null}
          <p className="muted">Null, distinct, min and max of each column are in the schema above.</p>
        </Part>
      </section>

      <section aria-labelledby="dataset-usage">
        <h2 id="dataset-usage">Usage</h2>
        <UsageWindowSwitch value={usageWindow} onChange={setUsageWindow} />
        <Part error={used.error} path={['dataset', 'usage']} what="its usage">
          {used.loading && !usage ? <Loading label="Loading the usage" /> : null}
          {usage ? <UsageSummary usage={usage} /> : null}
        </Part>
      </section>

      {/* Metis lists suggestions to stewards only (who may write the dataset); others see none. */}
      {suggestions?.length ? (
        <>
          <h2>Suggested classifications</h2>
          <SuggestionsPanel
            urn={dataset.urn}
            suggestions={suggestions}
            onDecided={() => {
              void classified.refetch();
              void facts.refetch();
              void meaning.refetch();
              void policy.refetch();
            }}
          />
        </>
      ) : null}

      <h2>Preview</h2>
      <Part error={preview.error} path={['dataset', 'preview']} what="this dataset's rows">
        {preview.loading && !preview.data ? <Loading label="Loading the preview" /> : null}
        {preview.data?.dataset?.preview ? (
          <PreviewTable preview={preview.data.dataset.preview} masks={masks} />
        ) : !preview.loading ? (
          <p className="muted">No preview.</p>
        ) : null}
      </Part>

      <h2>Runs</h2>
      <Part error={facts.error} path={['dataset', 'runs']} what="its runs">
        <RunsTable runs={dataset.runs} />
      </Part>
    </article>
  );
}
