import ELK from 'elkjs/lib/elk.bundled.js';
import type { ConsoleLineageQuery } from '@dataos/client';
import { describe, expect, it } from 'vitest';
import { buildGraph, columnKey, columnLineage } from '../src/pages/lineage/graph.js';
import { layoutGraph } from '../src/pages/lineage/layout.js';
import { readView, writeView } from '../src/pages/lineage/params.js';

type Lineage = NonNullable<ConsoleLineageQuery['lineage']>;

const ds = (name: string, columns: string[] = ['id', 'email']) => ({
  urn: `dataos://d:c/${name}`,
  name,
  layer: null,
  columns: columns.map((c) => ({ datasetUrn: `dataos://d:c/${name}`, name: c, type: 'varchar' })),
});
const col = (name: string, column: string) => ({ datasetUrn: `dataos://d:c/${name}`, name: column });
const edge = (up: string, down: string, columns: [string, string][] = []) => ({
  upstreamUrn: `dataos://d:c/${up}`,
  downstreamUrn: `dataos://d:c/${down}`,
  job: `${up}-to-${down}`,
  via: null,
  columns: columns.map(([u, d]) => ({ upstream: col(up, u), downstream: col(down, d), transformation: null })),
});

const lineage: Lineage = {
  truncated: false,
  root: ds('customers'),
  nodes: [
    { direction: 'UPSTREAM', distance: 1, dataset: ds('raw') },
    { direction: 'UPSTREAM', distance: 2, dataset: ds('crm') },
    { direction: 'DOWNSTREAM', distance: 1, dataset: ds('c360') },
  ],
  edges: [
    edge('crm', 'raw', [['email', 'email']]),
    edge('raw', 'customers', [['email', 'email']]),
    edge('customers', 'c360', [
      ['email', 'email'],
      ['id', 'id'],
    ]),
    // An edge to a dataset the caller was not shown: never drawn, never hinted.
    edge('customers', 'secret', [['email', 'email']]),
  ],
};

describe('lineage graph', () => {
  it('draws the root and the shown datasets, and only edges between them', () => {
    const graph = buildGraph(lineage);
    expect(graph.datasets.map((d) => `${d.name}:${d.direction}`)).toEqual([
      'customers:ROOT',
      'raw:UPSTREAM',
      'crm:UPSTREAM',
      'c360:DOWNSTREAM',
    ]);
    expect(graph.edges.map((e) => e.job)).toEqual(['crm-to-raw', 'raw-to-customers', 'customers-to-c360']);
    expect(JSON.stringify(graph)).not.toContain('secret');
  });

  it("follows a column's edges upstream and downstream, and nothing else", () => {
    const graph = buildGraph(lineage);
    const { edges, columns } = columnLineage(graph.columnEdges, { urn: 'dataos://d:c/customers', column: 'email' });
    expect(edges.size).toBe(3);
    expect([...columns].sort()).toEqual(
      ['crm', 'raw', 'customers', 'c360'].map((n) => columnKey({ urn: `dataos://d:c/${n}`, column: 'email' })).sort(),
    );
    const id = columnLineage(graph.columnEdges, { urn: 'dataos://d:c/customers', column: 'id' });
    expect(id.edges.size).toBe(1);
  });

  it('terminates on a cycle', () => {
    const cyclic = buildGraph({ ...lineage, edges: [...lineage.edges, edge('c360', 'raw', [['email', 'email']])] });
    expect(columnLineage(cyclic.columnEdges, { urn: 'dataos://d:c/raw', column: 'email' }).edges.size).toBe(4);
  });

  it('lays upstream datasets out to the left of the root, downstream to the right (ELK)', async () => {
    const graph = buildGraph(lineage);
    const positions = new Map(
      (await layoutGraph(new ELK(), graph.datasets, graph.edges)).map((p) => [p.urn.split('/').pop(), p.x]),
    );
    expect(positions.get('crm')!).toBeLessThan(positions.get('raw')!);
    expect(positions.get('raw')!).toBeLessThan(positions.get('customers')!);
    expect(positions.get('customers')!).toBeLessThan(positions.get('c360')!);
  });
});

describe('lineage view in the URL', () => {
  it('bounds the depth and defaults the direction', () => {
    expect(readView(new URLSearchParams('depth=99&direction=SIDEWAYS'))).toEqual({ direction: 'BOTH', depth: 10 });
    expect(readView(new URLSearchParams('depth=0'))).toEqual({ direction: 'BOTH', depth: 1 });
    expect(readView(new URLSearchParams('depth=abc')).depth).toBe(2);
  });

  it('round-trips a selected column', () => {
    const view = { direction: 'UPSTREAM' as const, depth: 3, column: { urn: 'dataos://d:c/x', column: 'email' } };
    expect(readView(writeView(view))).toEqual(view);
  });
});
