import { describe, expect, it } from 'vitest';
import {
  buildForest,
  nearestVisible,
  pathsTo,
  rowKey,
  treeKeyAction,
  visibleRows,
  type ConceptParents,
} from './conceptTree.js';

const c = (iri: string, parents: string[] = [], broader: string[] = []): ConceptParents => ({
  iri,
  label: iri.replace('ex:', ''),
  superClasses: parents.map((p) => ({ iri: p })),
  broader: broader.map((p) => ({ iri: p })),
});

// Party ⊃ Customer, Person; PersonalData ⊃ ContactData ⊃ Email (broader) ; Email also ⊂ Identifier.
const concepts = [
  c('ex:Party'),
  c('ex:Customer', ['ex:Party', 'schema:Person']),
  c('ex:Person', ['ex:Party']),
  c('ex:PersonalData'),
  c('ex:ContactData', ['ex:PersonalData']),
  c('ex:Email', [], ['ex:ContactData', 'ex:Identifier']),
  c('ex:Identifier'),
];

describe('buildForest', () => {
  it('roots are the concepts without a parent in the ontology, by label; parents elsewhere do not count', () => {
    const forest = buildForest(concepts);
    expect(forest.roots).toEqual(['ex:Identifier', 'ex:Party', 'ex:PersonalData']);
    expect(forest.children.get('ex:Party')).toEqual(['ex:Customer', 'ex:Person']);
    expect(forest.children.get('ex:ContactData')).toEqual(['ex:Email']);
  });

  it('a concept under two parents is a child of both (subClassOf and broader alike)', () => {
    const forest = buildForest(concepts);
    expect(forest.children.get('ex:Identifier')).toEqual(['ex:Email']);
  });

  it('a component that is only a cycle still gets a root, and the cycle is cut in the rows', () => {
    const forest = buildForest([c('ex:A', ['ex:B']), c('ex:B', ['ex:A']), c('ex:Self', ['ex:Self'])]);
    expect(forest.roots).toEqual(['ex:A', 'ex:Self']);
    const expanded = new Set([rowKey(['ex:A']), rowKey(['ex:A', 'ex:B'])]);
    const rows = visibleRows(forest, expanded);
    expect(rows.map((r) => [r.iri, r.level, r.hasChildren])).toEqual([
      ['ex:A', 1, true],
      ['ex:B', 2, false],
      ['ex:Self', 1, false],
    ]);
  });
});

describe('visibleRows', () => {
  const forest = buildForest(concepts);

  it('shows only roots until a branch is expanded, with ARIA level, position and set size', () => {
    const rows = visibleRows(forest, new Set());
    expect(rows.map((r) => r.label)).toEqual(['Identifier', 'Party', 'PersonalData']);
    expect(rows[1]).toMatchObject({ level: 1, position: 2, siblings: 3, hasChildren: true, expanded: false });
  });

  it('expanding opens one position of a concept that has two: keys are paths', () => {
    const rows = visibleRows(forest, new Set([rowKey(['ex:Identifier'])]));
    expect(rows.map((r) => r.key)).toEqual([
      rowKey(['ex:Identifier']),
      rowKey(['ex:Identifier', 'ex:Email']),
      rowKey(['ex:Party']),
      rowKey(['ex:PersonalData']),
    ]);
    expect(rows[1]).toMatchObject({ level: 2, parentKey: rowKey(['ex:Identifier']), position: 1, siblings: 1 });
  });

  it('the tab stop moves to the nearest shown ancestor when a branch closes', () => {
    const rows = visibleRows(forest, new Set());
    expect(nearestVisible(rows, rowKey(['ex:Party', 'ex:Customer']))).toBe(rowKey(['ex:Party']));
    expect(nearestVisible(rows, rowKey(['ex:Party']))).toBe(rowKey(['ex:Party']));
    expect(nearestVisible(rows, null)).toBe(rowKey(['ex:Identifier']));
    expect(nearestVisible([], 'x')).toBeNull();
  });

  it('pathsTo finds every position of a concept, from a root down', () => {
    expect(pathsTo(forest, 'ex:Email').sort()).toEqual([
      ['ex:Identifier', 'ex:Email'],
      ['ex:PersonalData', 'ex:ContactData', 'ex:Email'],
    ]);
  });
});

describe('treeKeyAction (WAI-ARIA tree keys)', () => {
  const forest = buildForest(concepts);
  const party = rowKey(['ex:Party']);
  const collapsed = visibleRows(forest, new Set());
  const open = visibleRows(forest, new Set([party]));

  it('arrows move, open and close', () => {
    expect(treeKeyAction(collapsed, party, 'ArrowDown')).toEqual({ type: 'focus', key: rowKey(['ex:PersonalData']) });
    expect(treeKeyAction(collapsed, party, 'ArrowUp')).toEqual({ type: 'focus', key: rowKey(['ex:Identifier']) });
    expect(treeKeyAction(collapsed, party, 'ArrowRight')).toEqual({ type: 'expand', key: party });
    expect(treeKeyAction(open, party, 'ArrowRight')).toEqual({
      type: 'focus',
      key: rowKey(['ex:Party', 'ex:Customer']),
    });
    expect(treeKeyAction(open, party, 'ArrowLeft')).toEqual({ type: 'collapse', key: party });
    expect(treeKeyAction(open, rowKey(['ex:Party', 'ex:Person']), 'ArrowLeft')).toEqual({ type: 'focus', key: party });
    expect(treeKeyAction(collapsed, rowKey(['ex:Identifier']), 'ArrowUp')).toBeNull();
  });

  it('Home, End, Enter, * and type-ahead', () => {
    expect(treeKeyAction(open, party, 'End')).toEqual({ type: 'focus', key: rowKey(['ex:PersonalData']) });
    expect(treeKeyAction(open, party, 'Home')).toEqual({ type: 'focus', key: rowKey(['ex:Identifier']) });
    expect(treeKeyAction(open, party, 'Enter')).toEqual({ type: 'open', key: party });
    expect(treeKeyAction(collapsed, party, '*')).toEqual({
      type: 'expandSiblings',
      keys: [rowKey(['ex:Identifier']), party, rowKey(['ex:PersonalData'])],
    });
    // Type-ahead goes to the next match after the focused row, wrapping around.
    expect(treeKeyAction(open, party, 'p')).toEqual({ type: 'focus', key: rowKey(['ex:Party', 'ex:Person']) });
    expect(treeKeyAction(open, rowKey(['ex:PersonalData']), 'p')).toEqual({ type: 'focus', key: party });
    expect(treeKeyAction(open, party, 'z')).toBeNull();
  });
});
