import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import {
  buildForest,
  nearestVisible,
  pathsTo,
  rowKey,
  treeKeyAction,
  visibleRows,
  type ConceptParents,
} from './conceptTree.js';

interface Props {
  concepts: readonly ConceptParents[];
  /** The accessible name of the tree. */
  label: string;
  /** Opens a concept (Enter, or a click on its name). */
  onOpen: (iri: string) => void;
  /** A concept to reveal and focus first (its branches opened). */
  reveal?: string | undefined;
}

/**
 * The concept hierarchy as a WAI-ARIA tree: one tab stop (roving tabindex), arrows to move and to
 * open and close branches, Home/End, `*`, type-ahead, Enter to open a concept. Rows are flat with
 * aria-level/posinset/setsize, so a concept under two parents is two rows with two keys.
 */
export function ConceptTree({ concepts, label, onOpen, reveal }: Props) {
  const forest = useMemo(() => buildForest(concepts), [concepts]);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const [focused, setFocused] = useState<string | null>(null);
  const itemRefs = useRef(new Map<string, HTMLLIElement>());
  const moveFocus = useRef(false);

  useEffect(() => {
    if (!reveal) return;
    const path = pathsTo(forest, reveal)[0];
    if (!path) return;
    setExpanded((old) => new Set([...old, ...path.slice(0, -1).map((_, i) => rowKey(path.slice(0, i + 1)))]));
    setFocused(rowKey(path));
  }, [forest, reveal]);

  const rows = useMemo(() => visibleRows(forest, expanded), [forest, expanded]);
  const active = nearestVisible(rows, focused);

  useEffect(() => {
    if (!moveFocus.current || !active) return;
    moveFocus.current = false;
    itemRefs.current.get(active)?.focus();
  }, [active]);

  const toggle = (key: string, open: boolean) =>
    setExpanded((old) => {
      const next = new Set(old);
      if (open) next.add(key);
      else next.delete(key);
      return next;
    });

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    if (!active || event.altKey || event.ctrlKey || event.metaKey) return;
    const action = treeKeyAction(rows, active, event.key);
    if (!action) return;
    event.preventDefault();
    switch (action.type) {
      case 'focus':
        moveFocus.current = true;
        setFocused(action.key);
        break;
      case 'expand':
        toggle(action.key, true);
        break;
      case 'collapse':
        toggle(action.key, false);
        break;
      case 'expandSiblings':
        setExpanded((old) => new Set([...old, ...action.keys]));
        break;
      case 'open':
        onOpen(rows.find((r) => r.key === action.key)!.iri);
        break;
    }
  };

  if (rows.length === 0) return <p>This ontology defines no concept.</p>;
  return (
    <ul className="concept-tree" role="tree" aria-label={label} onKeyDown={onKeyDown}>
      {rows.map((row) => (
        <li
          key={row.key}
          ref={(el) => {
            if (el) itemRefs.current.set(row.key, el);
            else itemRefs.current.delete(row.key);
          }}
          role="treeitem"
          aria-level={row.level}
          aria-posinset={row.position}
          aria-setsize={row.siblings}
          aria-expanded={row.hasChildren ? row.expanded : undefined}
          aria-selected={row.iri === reveal}
          tabIndex={row.key === active ? 0 : -1}
          className={row.iri === reveal ? 'selected' : undefined}
          style={{ paddingInlineStart: `${(row.level - 1) * 1.25 + 0.25}rem` }}
          onFocus={() => setFocused(row.key)}
          data-iri={row.iri}
        >
          <span
            className="twisty"
            aria-hidden="true"
            onClick={(event) => {
              event.stopPropagation();
              if (row.hasChildren) toggle(row.key, !row.expanded);
            }}
          >
            {row.hasChildren ? (row.expanded ? '▾' : '▸') : '·'}
          </span>
          <span className="tree-label" onClick={() => onOpen(row.iri)}>
            {row.label}
          </span>
        </li>
      ))}
    </ul>
  );
}
