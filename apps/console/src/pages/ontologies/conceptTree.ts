/**
 * The concept hierarchy of one ontology as a forest, and the rows a tree view shows.
 *
 * Odin gives each concept its direct parents (rdfs:subClassOf and skos:broader); the forest is
 * built from those. A concept with two parents appears under both (a hierarchy is a DAG), so a
 * row is keyed by its path, not its IRI; a cycle in the data (A ⊂ B ⊂ A) is cut where it would
 * repeat a concept already on the path. Rows are computed only for expanded branches, so a wide
 * DAG costs what is on screen, not every path through it.
 */

export interface ConceptParents {
  iri: string;
  label: string;
  superClasses: readonly { iri: string }[];
  broader: readonly { iri: string }[];
}

export interface ConceptForest {
  roots: string[];
  children: ReadonlyMap<string, string[]>;
  labels: ReadonlyMap<string, string>;
}

export interface TreeRow {
  /** Unique per position: the IRIs from the root, joined. */
  key: string;
  iri: string;
  label: string;
  /** 1-based, as aria-level. */
  level: number;
  /** 1-based position among its siblings and their count, as aria-posinset / aria-setsize. */
  position: number;
  siblings: number;
  parentKey: string | null;
  hasChildren: boolean;
  expanded: boolean;
}

/** Deepest level shown; Odin's own closure queries stop at 20 levels too. */
export const MAX_DEPTH = 20;
/** Bound on rows computed at once (everything expanded on a wide DAG). */
export const MAX_ROWS = 5_000;

const KEY_SEPARATOR = '\u0000';

const byLabel = (labels: ReadonlyMap<string, string>) => (a: string, b: string) =>
  (labels.get(a) ?? a).localeCompare(labels.get(b) ?? b, undefined, { sensitivity: 'base' }) || a.localeCompare(b);

export function buildForest(concepts: readonly ConceptParents[]): ConceptForest {
  const labels = new Map(concepts.map((c) => [c.iri, c.label]));
  const children = new Map<string, string[]>();
  const hasParent = new Set<string>();
  for (const concept of concepts) {
    // Parents outside this ontology (biz:Order ⊂ schema:Order) do not make it a child here.
    const parents = new Set([...concept.superClasses, ...concept.broader].map((p) => p.iri));
    for (const parent of parents) {
      if (parent === concept.iri || !labels.has(parent)) continue;
      const list = children.get(parent) ?? [];
      list.push(concept.iri);
      children.set(parent, list);
      hasParent.add(concept.iri);
    }
  }
  const order = byLabel(labels);
  for (const list of children.values()) list.sort(order);
  const roots = concepts.map((c) => c.iri).filter((iri) => !hasParent.has(iri));
  // A component that is only a cycle has no root: lift its first concept so it can be reached.
  const reached = new Set<string>();
  const visit = (iri: string) => {
    const stack = [iri];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (reached.has(next)) continue;
      reached.add(next);
      stack.push(...(children.get(next) ?? []));
    }
  };
  roots.forEach(visit);
  for (const concept of [...concepts].sort((a, b) => order(a.iri, b.iri))) {
    if (!reached.has(concept.iri)) {
      roots.push(concept.iri);
      visit(concept.iri);
    }
  }
  roots.sort(order);
  return { roots, children, labels };
}

export function rowKey(path: readonly string[]): string {
  return path.join(KEY_SEPARATOR);
}

/** The rows of the tree with the branches in `expanded` (row keys) open, in display order. */
export function visibleRows(forest: ConceptForest, expanded: ReadonlySet<string>): TreeRow[] {
  const rows: TreeRow[] = [];
  const walk = (iris: readonly string[], path: string[], parentKey: string | null) => {
    const shown = iris.filter((iri) => !path.includes(iri));
    shown.forEach((iri, index) => {
      if (rows.length >= MAX_ROWS) return;
      const own = [...path, iri];
      const key = rowKey(own);
      const kids = path.length + 1 < MAX_DEPTH ? (forest.children.get(iri) ?? []).filter((c) => !own.includes(c)) : [];
      const open = kids.length > 0 && expanded.has(key);
      rows.push({
        key,
        iri,
        label: forest.labels.get(iri) ?? iri,
        level: own.length,
        position: index + 1,
        siblings: shown.length,
        parentKey,
        hasChildren: kids.length > 0,
        expanded: open,
      });
      if (open) walk(kids, own, key);
    });
  };
  walk(forest.roots, [], null);
  return rows;
}

/**
 * The row that holds the tab stop: `key` when shown, else its nearest shown ancestor (its branch
 * was collapsed), else the first row.
 */
export function nearestVisible(rows: readonly TreeRow[], key: string | null): string | null {
  if (key !== null) {
    const path = key.split(KEY_SEPARATOR);
    for (let length = path.length; length > 0; length -= 1) {
      const candidate = rowKey(path.slice(0, length));
      if (rows.some((r) => r.key === candidate)) return candidate;
    }
  }
  return rows[0]?.key ?? null;
}

/** Keys of every row on the path to each occurrence of `iri` (to reveal a concept). */
export function pathsTo(forest: ConceptForest, iri: string): string[][] {
  const parents = new Map<string, string[]>();
  for (const [parent, kids] of forest.children) {
    for (const kid of kids) parents.set(kid, [...(parents.get(kid) ?? []), parent]);
  }
  const found: string[][] = [];
  const climb = (node: string, below: string[]) => {
    if (found.length >= 10 || below.length > MAX_DEPTH) return;
    const ups = (parents.get(node) ?? []).filter((p) => !below.includes(p));
    if (ups.length === 0 || forest.roots.includes(node)) found.push([node, ...below]);
    for (const up of ups) climb(up, [node, ...below]);
  };
  climb(iri, []);
  return found;
}

export type TreeAction =
  | { type: 'focus'; key: string }
  | { type: 'expand'; key: string }
  | { type: 'collapse'; key: string }
  | { type: 'open'; key: string }
  | { type: 'expandSiblings'; keys: string[] };

/**
 * What a key press does on the focused row, after the WAI-ARIA tree view pattern: arrows move and
 * open or close branches, Home/End jump, Enter opens the concept, `*` expands the siblings, and a
 * printable character moves to the next row whose label starts with it.
 */
export function treeKeyAction(rows: readonly TreeRow[], focused: string, key: string): TreeAction | null {
  const index = rows.findIndex((row) => row.key === focused);
  const row = rows[index];
  if (!row) return rows[0] ? { type: 'focus', key: rows[0].key } : null;
  switch (key) {
    case 'ArrowDown':
      return rows[index + 1] ? { type: 'focus', key: rows[index + 1]!.key } : null;
    case 'ArrowUp':
      return rows[index - 1] ? { type: 'focus', key: rows[index - 1]!.key } : null;
    case 'ArrowRight':
      if (!row.hasChildren) return null;
      if (!row.expanded) return { type: 'expand', key: row.key };
      return { type: 'focus', key: rows[index + 1]!.key };
    case 'ArrowLeft':
      if (row.expanded) return { type: 'collapse', key: row.key };
      return row.parentKey ? { type: 'focus', key: row.parentKey } : null;
    case 'Home':
      return { type: 'focus', key: rows[0]!.key };
    case 'End':
      return { type: 'focus', key: rows[rows.length - 1]!.key };
    case 'Enter':
      return { type: 'open', key: row.key };
    case '*': {
      const keys = rows.filter((r) => r.parentKey === row.parentKey && r.hasChildren && !r.expanded).map((r) => r.key);
      return keys.length > 0 ? { type: 'expandSiblings', keys } : null;
    }
    default: {
      if (key.length !== 1 || key === ' ') return null;
      const wanted = key.toLocaleLowerCase();
      const after = [...rows.slice(index + 1), ...rows.slice(0, index)];
      const match = after.find((r) => r.label.toLocaleLowerCase().startsWith(wanted));
      return match ? { type: 'focus', key: match.key } : null;
    }
  }
}
