import { Link } from 'react-router';
import { datasetPath, glossaryPath } from '../../app/routes.js';
import { Highlight } from './highlight.js';
import type { SearchHit } from './local-facets.js';

const TYPE_LABEL = { Dataset: 'Dataset', Column: 'Column', GlossaryTerm: 'Glossary term' } as const;

/** One hit: what it is, a link to its page, and the query's words marked where they match. */
function Hit({ hit, words }: { hit: SearchHit; words: readonly string[] }) {
  const node = hit.node;
  return (
    <li>
      <span className="chip">{TYPE_LABEL[node.__typename]}</span>{' '}
      {node.__typename === 'Dataset' ? (
        <>
          <Link to={datasetPath(node.urn)} className="hit-title">
            <Highlight text={node.name} words={words} />
          </Link>
          <div className="mono muted">{node.urn}</div>
          {node.description ? (
            <p>
              <Highlight text={node.description} words={words} />
            </p>
          ) : null}
          <div className="muted">
            {[node.domain?.name, node.source.name, node.layer].filter(Boolean).join(' · ')}
            {node.tags.length ? ' · ' : ''}
            {node.tags.map((tag, i) => (
              <span key={tag}>
                {i ? ', ' : ''}
                <Highlight text={tag} words={words} />
              </span>
            ))}
          </div>
        </>
      ) : node.__typename === 'Column' ? (
        <>
          <Link to={`${datasetPath(node.datasetUrn)}#column-${encodeURIComponent(node.name)}`} className="hit-title">
            <Highlight text={node.name} words={words} />
          </Link>{' '}
          <span className="mono muted">{node.type}</span>
          <div className="mono muted">in {node.datasetUrn}</div>
          {node.description ? (
            <p>
              <Highlight text={node.description} words={words} />
            </p>
          ) : null}
          {node.tags.length ? <div className="muted">{node.tags.join(', ')}</div> : null}
        </>
      ) : (
        <>
          <Link to={glossaryPath(node.term)} className="hit-title">
            <Highlight text={node.term} words={words} />
          </Link>
          <p>
            <Highlight text={node.definition} words={words} />
          </p>
        </>
      )}
    </li>
  );
}

export function SearchHits({ hits, words }: { hits: readonly SearchHit[]; words: readonly string[] }) {
  return (
    <ul className="hits" aria-label="Search results">
      {hits.map((hit) => (
        <Hit key={hitKey(hit)} hit={hit} words={words} />
      ))}
    </ul>
  );
}

function hitKey({ node }: SearchHit): string {
  if (node.__typename === 'Dataset') return `d:${node.urn}`;
  if (node.__typename === 'Column') return `c:${node.datasetUrn}:${node.name}`;
  return `g:${node.term}`;
}
