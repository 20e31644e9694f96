import { Link } from 'react-router';
import type { ConsoleDatasetQuery } from '@dataos/client';
import { conceptPath, glossaryPath } from '../../app/routes.js';
import { Part } from '../../ui/Part.js';
import { InheritedClassifications, type Classification } from './Classifications.js';
import { changesValue, type ColumnMask } from './masks.js';
import { ProfileCell, type ColumnProfile } from './ProfilePart.js';

type Column = NonNullable<ConsoleDatasetQuery['dataset']>['columns'][number];

/** Metis's profile of each column (by name), from the profile part's own query; undefined while pending. */
export interface ColumnProfiles {
  byName: ReadonlyMap<string, { index: number; profile: ColumnProfile | null }>;
  rowCount: number | null | undefined;
  /** The profile query's error: a column whose profile failed says so in its cell. */
  error: unknown;
}

export interface ColumnConcept {
  iri: string;
  label: string;
}

interface Props {
  columns: readonly Column[];
  /** Odin's concept of each column (by name), from its own query; undefined while pending or failed. */
  concepts: ReadonlyMap<string, { index: number; concept: ColumnConcept | null }> | undefined;
  /** The error of the concepts query: a column whose concept the user may not see says so. */
  conceptsError: unknown;
  /** Undefined while the Gateway's answer is pending or missing (its notice is shown above). */
  masks: Map<string, ColumnMask> | undefined;
  highlighted?: string | undefined;
  /** Classifications propagated to each column through column lineage (by name), from Metis. */
  inherited?: ReadonlyMap<string, readonly Classification[]> | undefined;
  profiles?: ColumnProfiles | undefined;
  /** Row filters narrow the reader's rows (from the Gateway's answer): min/max are withheld then. */
  rowFiltered?: boolean | undefined;
}

function MaskCell({ mask }: { mask: ColumnMask | undefined }) {
  if (mask && changesValue(mask)) {
    return (
      <span className="chip chip-masked">
        masked: {mask.operator.toLowerCase()}
        {mask.policy ? <> by {mask.policy}</> : null}
      </span>
    );
  }
  if (mask) return <span className="muted">clear (exempt by {mask.policy ?? 'a policy'})</span>;
  return <span className="muted">clear</span>;
}

function ConceptCell({
  entry,
  error,
}: {
  entry: { index: number; concept: ColumnConcept | null } | undefined;
  error: unknown;
}) {
  if (!entry) return null;
  return (
    <Part error={error} path={['dataset', 'columns', entry.index, 'concept']} what="this column's concept">
      {entry.concept ? <Link to={conceptPath(entry.concept.iri)}>{entry.concept.label}</Link> : null}
    </Part>
  );
}

function ProfileColumnCell({
  entry,
  profiles,
  gateway,
}: {
  entry: { index: number; profile: ColumnProfile | null } | undefined;
  profiles: ColumnProfiles;
  gateway: Parameters<typeof ProfileCell>[0]['gateway'];
}) {
  if (!entry) return null;
  return (
    <Part error={profiles.error} path={['dataset', 'columns', entry.index, 'profile']} what="this column's profile">
      <ProfileCell profile={entry.profile} rowCount={profiles.rowCount} gateway={gateway} />
    </Part>
  );
}

/**
 * The columns: types, own and inherited tags, glossary terms, Odin concepts, what the Gateway masks for this user,
 * and each column's profile (in its row, beside its type and mask, where one reads about a column).
 */
export function SchemaTable({
  columns,
  concepts,
  conceptsError,
  masks,
  highlighted,
  inherited,
  profiles,
  rowFiltered,
}: Props) {
  return (
    <table className="grid" aria-label="Schema">
      <thead>
        <tr>
          <th scope="col">Column</th>
          <th scope="col">Type</th>
          <th scope="col">Tags</th>
          <th scope="col">Glossary</th>
          <th scope="col">Concept</th>
          <th scope="col">For you</th>
          <th scope="col">Profile</th>
        </tr>
      </thead>
      <tbody>
        {columns.map((column) => (
          <tr
            key={column.name}
            id={`column-${encodeURIComponent(column.name)}`}
            className={highlighted === column.name ? 'highlighted' : undefined}
          >
            <th scope="row">
              <span className="mono">{column.name}</span>
              {column.description ? <div className="muted">{column.description}</div> : null}
            </th>
            <td className="mono">
              {column.type}
              {column.nullable ? '' : ' not null'}
            </td>
            <td>
              {column.tags.length ? (
                <ul className="chips">
                  {column.tags.map((t) => (
                    <li key={t} className="chip">
                      {t}
                    </li>
                  ))}
                </ul>
              ) : null}
              {inherited?.get(column.name) ? <InheritedClassifications items={inherited.get(column.name)!} /> : null}
            </td>
            <td>
              {column.glossaryTerms.map((t, j) => (
                <span key={t.name}>
                  {j ? ', ' : ''}
                  <Link to={glossaryPath(t.name)}>{t.name}</Link>
                </span>
              ))}
            </td>
            <td>
              <ConceptCell entry={concepts?.get(column.name)} error={conceptsError} />
            </td>
            <td>{masks ? <MaskCell mask={masks.get(column.name.toLowerCase())} /> : null}</td>
            <td>
              {profiles ? (
                <ProfileColumnCell
                  entry={profiles.byName.get(column.name)}
                  profiles={profiles}
                  gateway={
                    masks ? { mask: masks.get(column.name.toLowerCase()), rowFiltered: !!rowFiltered } : undefined
                  }
                />
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
