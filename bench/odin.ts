import { pathToFileURL } from 'node:url';
import { startDevstack } from '@dataos/devstack';
import { importOntology, OntologyStore, OntologyWriter } from '@dataos/odin';
import { neo4jFromEnv, type Neo4jStore } from '@dataos/stores';
import { closedLoop, table } from './lib/stats.js';

/**
 * Odin's store against the devstack's Neo4j: importing a synthetic ontology (a 4-ary class tree
 * with labels and definitions, plus column links) in one transaction at several batch sizes, then
 * closure queries on it. Everything lives under a bench-only IRI namespace and depot, removed at the end.
 */
function syntheticNTriples(base: string, concepts: number): string {
  const t = (s: string, p: string, o: string) => `${s} ${p} ${o} .`;
  const type = '<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>';
  const lines = [t(`<${base}>`, type, '<http://www.w3.org/2002/07/owl#Ontology>')];
  for (let i = 0; i < concepts; i++) {
    const c = `<${base}#C${i}>`;
    lines.push(t(c, type, '<http://www.w3.org/2002/07/owl#Class>'));
    lines.push(t(c, '<http://www.w3.org/2000/01/rdf-schema#label>', `"Concept ${i}"@en`));
    lines.push(
      t(
        c,
        '<http://www.w3.org/2004/02/skos/core#definition>',
        `"Synthetic concept number ${i} of the bench ontology."@en`,
      ),
    );
    if (i > 0)
      lines.push(t(c, '<http://www.w3.org/2000/01/rdf-schema#subClassOf>', `<${base}#C${Math.floor((i - 1) / 4)}>`));
  }
  return `${lines.join('\n')}\n`;
}

/** Removes every bench run's nodes (this one's, and those of a run that was interrupted). */
async function cleanup(neo4j: Neo4jStore) {
  const session = neo4j.driver.session({ database: neo4j.database });
  try {
    for (const label of ['Concept', 'Property', 'Instance', 'Ontology']) {
      // Implicit transactions: CALL ... IN TRANSACTIONS deletes in chunks.
      await session.run(
        `MATCH (n:${label}) WHERE n.iri STARTS WITH $p CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS`,
        { p: BENCH_IRIS },
      );
    }
    await session.run(
      `MATCH (n) WHERE (n:LinkedDataset AND n.urn STARTS WITH $d) OR (n:LinkedColumn AND n.datasetUrn STARTS WITH $d) DETACH DELETE n`,
      { d: 'dataos://odinbench' },
    );
  } finally {
    await session.close();
  }
}

const BENCH_IRIS = 'https://bench.dataos.local/odinbench';

export async function runOdinBench(): Promise<string> {
  const devstack = await startDevstack();
  Object.assign(process.env, devstack.env, { LOG_LEVEL: 'silent' });
  const neo4j = neo4jFromEnv('ODIN');
  const run = `odinbench${Date.now()}`;
  const base = `https://bench.dataos.local/${run}/tree`;
  const depot = run;
  const store = new OntologyStore(neo4j);
  const writer = new OntologyWriter(neo4j);
  try {
    await store.migrate();
    const concepts = 20_000;
    const content = syntheticNTriples(base, concepts);
    const imports: (string | number)[][] = [];
    for (const batchSize of [500, 2000, 5000]) {
      const started = performance.now();
      const summary = await importOntology(writer, { content, format: 'N_TRIPLES' }, 'bench', { batchSize });
      const seconds = (performance.now() - started) / 1000;
      imports.push([
        batchSize,
        summary.replaced ? 'replace' : 'new',
        summary.triples,
        summary.batches,
        seconds,
        summary.triples / seconds,
      ]);
    }
    const exportStarted = performance.now();
    const exported = await writer.exportTriples(base);
    const exportSeconds = (performance.now() - exportStarted) / 1000;

    // 2,000 columns of 200 datasets linked to leaves of the tree.
    for (let i = 0; i < 2000; i++) {
      await writer.link(`${base}#C${concepts - 1 - i}`, `dataos://${depot}:coll/ds${i % 200}`, `col${i}`);
    }
    const load = { concurrency: 8, durationMs: 3000, maxCount: 20_000 };
    let n = 0;
    const queries: [string, () => Promise<unknown>][] = [
      ['concept by IRI (baseline)', () => store.conceptsByIri([`${base}#C${n++ % concepts}`])],
      ['ancestors of a leaf (depth ~7)', () => store.hierarchy(`${base}#C${concepts - 1 - (n++ % 1000)}`, 'up', 20)],
      ['descendants of a level-3 class (~340)', () => store.hierarchy(`${base}#C${21 + (n++ % 4)}`, 'down', 20)],
      [
        'datasets holding the root, subclass closure (20,000 concepts, 200 datasets)',
        () => store.datasetsHolding(`${base}#C0`, { includeSubconcepts: true, via: 'ANY', limit: 5000 }),
      ],
      [
        'shortest path between two leaves',
        () =>
          store.shortestPath(`${base}#C${concepts - 1}`, `${base}#C${concepts - 2000 - (n++ % 500)}`, 10, [
            'SUB_CLASS_OF',
          ]),
      ],
      ['label search "concept 1999"', () => store.search('concept 1999', { ontology: base, first: 20 })],
    ];
    const rows: (string | number)[][] = [];
    for (const [name, task] of queries) {
      await closedLoop(task, { ...load, durationMs: 500 });
      const r = await closedLoop(task, load);
      rows.push([name, r.perSecond, r.p50Ms, r.p99Ms]);
    }
    return [
      `Odin import: ${concepts.toLocaleString('en-US')} classes (4-ary tree), one Neo4j transaction per import`,
      table(['batch size', 'import', 'triples', 'statements', 'seconds', 'triples/s'], imports),
      `export of ${exported?.triples.length.toLocaleString('en-US')} triples from Neo4j: ${exportSeconds.toFixed(2)} s`,
      '',
      'Odin queries on that ontology (8 concurrent callers, 3 s each, store level: no HTTP, no Heimdall)',
      table(['query', 'per s', 'p50 ms', 'p99 ms'], rows),
    ].join('\n');
  } finally {
    await cleanup(neo4j);
    await neo4j.close();
    await devstack.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  console.log(await runOdinBench());
}
