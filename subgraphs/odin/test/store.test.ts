import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neo4jFromEnv, type Neo4jStore } from '@dataos/stores';
import { uniqueId } from '@dataos/testkit';
import { importOntology } from '../src/import.js';
import { parseRdf, serializeRdf, type RdfFormat } from '../src/rdf/io.js';
import { OntologyStore } from '../src/store/ontology.js';
import { OntologyWriter } from '../src/store/writer.js';
import { canonical, countTestNodes, removeTestData, richTurtle } from './helpers.js';

// Everything this file writes lives under its own IRI namespace and depot name.
const run = uniqueId('odin');
const ROOT = `https://test.dataos.local/${run}/`;
const DEPOT = `dataos://${run}`;
const urn = (path: string) => `${DEPOT}:${path}`;

let neo4j: Neo4jStore;
let store: OntologyStore;
let writer: OntologyWriter;

beforeAll(async () => {
  neo4j = neo4jFromEnv('ODIN');
  store = new OntologyStore(neo4j);
  writer = new OntologyWriter(neo4j);
  await store.migrate();
});

afterAll(async () => {
  await removeTestData(neo4j, ROOT, DEPOT);
  await neo4j.close();
});

const exported = async (iri: string, format: RdfFormat) => {
  const out = await writer.exportTriples(iri);
  if (!out) throw new Error(`no ontology ${iri}`);
  return parseRdf(await serializeRdf(out.triples, format, out.prefixes), format);
};

describe('RDF round trips through Neo4j', () => {
  it.each(['TURTLE', 'N_TRIPLES', 'JSON_LD'] as const)(
    'imports %s and exports the same set of triples',
    async (format) => {
      const base = `${ROOT}rt-${format.toLowerCase()}`;
      const original = await parseRdf(richTurtle(base), 'TURTLE');
      const content = await serializeRdf(original.triples, format, original.prefixes);
      const summary = await importOntology(writer, { content, format }, 'test');
      expect(summary).toMatchObject({
        iri: base,
        replaced: false,
        triples: original.triples.length,
        concepts: 9,
        properties: 3,
        instances: 3,
      });
      // import → export → parse gives the same triples, in the same format and in the others.
      for (const out of ['TURTLE', 'N_TRIPLES', 'JSON_LD'] as const) {
        expect(await canonical((await exported(base, out)).triples)).toEqual(await canonical(original.triples));
      }
    },
  );

  it('re-importing replaces the ontology instead of adding to it', async () => {
    const base = `${ROOT}replace`;
    await importOntology(writer, { content: richTurtle(base), format: 'TURTLE' }, 'test');
    const smaller = `@prefix : <${base}#> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
      @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
      <${base}> a owl:Ontology . :Customer a owl:Class ; rdfs:label "Client"@en .`;
    const summary = await importOntology(writer, { content: smaller, format: 'TURTLE' }, 'test');
    expect(summary).toMatchObject({ replaced: true, triples: 3, concepts: 1, properties: 0, instances: 0 });
    expect((await exported(base, 'N_TRIPLES')).triples).toHaveLength(3);
    expect(await store.conceptsByIri([`${base}#Party`, `${base}#VipCustomer`])).toEqual([]);
    expect((await store.conceptsByIri([`${base}#Customer`]))[0]).toMatchObject({ label: 'Client', ontologyIri: base });
    const [ontology] = await store.ontologies([base]);
    expect(ontology).toMatchObject({
      conceptCount: 1,
      propertyCount: 0,
      instanceCount: 0,
      tripleCount: 3,
      version: null,
    });
  });

  it('keeps another ontology’s edges to a concept when its own ontology is re-imported or deleted', async () => {
    const a = `${ROOT}a`;
    const b = `${ROOT}b`;
    const docA = (
      label: string,
    ) => `@prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
      <${a}> a owl:Ontology . <${a}#Person> a owl:Class ; rdfs:label "${label}" .`;
    await importOntology(writer, { content: docA('Person'), format: 'TURTLE' }, 'test');
    await importOntology(
      writer,
      {
        content: `@prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
          <${b}> a owl:Ontology . <${b}#Employee> a owl:Class ; rdfs:subClassOf <${a}#Person> .
          <${a}#Person> rdfs:comment "Said by B." .`,
        format: 'TURTLE',
      },
      'test',
    );
    await importOntology(writer, { content: docA('Human'), format: 'TURTLE' }, 'test');
    const up = await store.hierarchy(`${b}#Employee`, 'up', 5);
    expect(up.map((x) => [x.concept.label, x.distance])).toEqual([['Human', 1]]);
    // B's statement about A's concept is B's: exported with B, not with A.
    expect((await exported(b, 'N_TRIPLES')).triples.map((t) => t.o.kind === 'literal' && t.o.value)).toContain(
      'Said by B.',
    );
    expect((await exported(a, 'N_TRIPLES')).triples).toHaveLength(3);
    // Deleting A leaves its concept as a reference that B still uses.
    expect(await writer.deleteOntology(a)).toBe(true);
    expect(await store.ontologies([a])).toEqual([]);
    expect((await store.conceptsByIri([`${a}#Person`]))[0]).toMatchObject({ ontologyIri: null });
    expect((await exported(b, 'N_TRIPLES')).triples).toHaveLength(4);
  });
});

describe('malformed and failed imports write nothing', () => {
  it('refuses a malformed document with its line and column, and writes nothing', async () => {
    const base = `${ROOT}malformed`;
    const content = `${richTurtle(base)}\n<${base}#Broken> <http://www.w3.org/2000/01/rdf-schema#label> "no end .\n`;
    const lines = content.split('\n');
    const line = lines.length - 1; // the last line is empty
    await expect(importOntology(writer, { content, format: 'TURTLE' }, 'test')).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', line, column: lines[line - 1]!.indexOf('"') + 1 },
    });
    expect(await countTestNodes(neo4j, base)).toBe(0);
  });

  it('imports a large document in batches, in one transaction: a failure half way leaves the previous version whole', async () => {
    const base = `${ROOT}large`;
    const concepts = 3000;
    const lines = [
      `<${base}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/2002/07/owl#Ontology> .`,
    ];
    for (let i = 0; i < concepts; i++) {
      const c = `<${base}#C${i}>`;
      lines.push(`${c} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/2002/07/owl#Class> .`);
      lines.push(`${c} <http://www.w3.org/2000/01/rdf-schema#label> "Concept ${i}"@en .`);
      lines.push(`${c} <http://www.w3.org/2004/02/skos/core#definition> "Definition of concept number ${i}."@en .`);
      if (i > 0)
        lines.push(`${c} <http://www.w3.org/2000/01/rdf-schema#subClassOf> <${base}#C${Math.floor((i - 1) / 4)}> .`);
    }
    const content = `${lines.join('\n')}\n`;
    const started = performance.now();
    const first = await importOntology(writer, { content, format: 'N_TRIPLES' }, 'test', { batchSize: 250 });
    const ms = performance.now() - started;
    console.log(`[odin] imported ${first.triples} triples in ${first.batches} batches in ${Math.round(ms)} ms`);
    expect(first).toMatchObject({ triples: lines.length, concepts });
    expect(first.batches).toBeGreaterThan(20);

    // A second version fails in its 10th batch: nothing of it is visible, the first version is intact.
    const second = content.replaceAll('"Concept ', '"Renamed ');
    let failedAt = 0;
    await expect(
      importOntology(writer, { content: second, format: 'N_TRIPLES' }, 'test', {
        batchSize: 250,
        onBatch: (n) => {
          if (n === 10) {
            failedAt = n;
            throw new Error('lost connection (simulated)');
          }
        },
      }),
    ).rejects.toThrow(/simulated/);
    expect(failedAt).toBe(10);
    const [ontology] = await store.ontologies([base]);
    expect(ontology).toMatchObject({ conceptCount: concepts, tripleCount: lines.length });
    expect(await store.search('renamed', { ontology: base })).toEqual([]);
    expect((await store.conceptsByIri([`${base}#C42`]))[0]?.label).toBe('Concept 42');
    expect((await exported(base, 'N_TRIPLES')).triples).toHaveLength(lines.length);
    // The subclass closure of the tree, bounded at 20 levels.
    const below = await store.hierarchy(`${base}#C0`, 'down', 20);
    expect(below).toHaveLength(concepts - 1);
    expect(below[0]).toMatchObject({ distance: 1 });
  });
});

describe('queries over the hierarchy and the links', () => {
  const base = `${ROOT}pd`;
  const ns = `${base}#`;
  beforeAll(async () => {
    await importOntology(
      writer,
      {
        content: `@prefix : <${ns}> . @prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
          @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
          <${base}> a owl:Ontology .
          :PersonalData a owl:Class ; rdfs:label "Personal data"@en, "Personenbezogene Daten"@de ; skos:altLabel "PII"@en .
          :ContactData a owl:Class ; rdfs:subClassOf :PersonalData ; rdfs:label "Contact data"@en .
          :EmailAddress a owl:Class ; rdfs:subClassOf :ContactData ; rdfs:label "Email address"@en .
          :PhoneNumber a owl:Class ; rdfs:subClassOf :ContactData ; rdfs:label "Phone number"@en .
          :PersonName a owl:Class ; rdfs:subClassOf :PersonalData ; rdfs:label "Person name"@en .
          :Nickname a skos:Concept ; skos:prefLabel "Nickname"@en ; skos:broader :PersonName .
          :Customer a owl:Class ; rdfs:label "Customer"@en .
          :Order a owl:Class ; rdfs:label "Order"@en ; :placedBy :Customer .
          :Invoice a owl:Class ; rdfs:label "Invoice"@en ; :bills :Order .
          :Island a owl:Class ; rdfs:label "Island"@en .`,
        format: 'TURTLE',
      },
      'test',
    );
    await writer.link(`${ns}Customer`, urn('retail/customers'), null);
    await writer.link(`${ns}EmailAddress`, urn('retail/customers'), 'email');
    await writer.link(`${ns}PersonName`, urn('retail/customers'), 'full_name');
    await writer.link(`${ns}Nickname`, urn('retail/customers'), 'nickname');
    await writer.link(`${ns}PhoneNumber`, urn('finance/invoices'), 'phone');
    await writer.link(`${ns}Order`, urn('retail/orders'), null);
    await writer.link(`${ns}PersonalData`, urn('hr/people'), null);
  });

  it('finds concepts by any label, exact and prefix matches first', async () => {
    expect((await store.search('person', { ontology: base })).map((c) => c.label)).toEqual([
      'Person name',
      'Personal data',
    ]);
    expect((await store.search('PII', { ontology: base })).map((c) => c.label)).toEqual(['Personal data']);
    expect((await store.search('daten', { ontology: base })).map((c) => c.label)).toEqual(['Personal data']);
    expect((await store.search('address', { ontology: base })).map((c) => c.label)).toEqual(['Email address']);
  });

  it('walks ancestors and descendants through subClassOf and skos:broader, nearest first', async () => {
    const up = await store.hierarchy(`${ns}EmailAddress`, 'up', 10);
    expect(up.map((x) => [x.concept.label, x.distance])).toEqual([
      ['Contact data', 1],
      ['Personal data', 2],
    ]);
    const nickUp = await store.hierarchy(`${ns}Nickname`, 'up', 10);
    expect(nickUp.map((x) => x.concept.label)).toEqual(['Person name', 'Personal data']);
    expect((await store.hierarchy(`${ns}Nickname`, 'up', 10, ['SUB_CLASS_OF'])).map((x) => x.concept.label)).toEqual(
      [],
    );
    const down = await store.hierarchy(`${ns}PersonalData`, 'down', 10);
    expect(down.map((x) => [x.concept.label, x.distance])).toEqual([
      ['Contact data', 1],
      ['Person name', 1],
      ['Email address', 2],
      ['Nickname', 2],
      ['Phone number', 2],
    ]);
    expect((await store.hierarchy(`${ns}PersonalData`, 'down', 1)).map((x) => x.concept.label)).toEqual([
      'Contact data',
      'Person name',
    ]);
  });

  it('answers which datasets hold a concept, through the subclass closure', async () => {
    const all = await store.datasetsHolding(`${ns}PersonalData`, { includeSubconcepts: true, via: 'ANY', limit: 100 });
    expect(all.map((h) => h.dataset.urn)).toEqual([urn('finance/invoices'), urn('hr/people'), urn('retail/customers')]);
    const customers = all.find((h) => h.dataset.urn === urn('retail/customers'))!;
    expect(customers.concepts.map((c) => c.label)).toEqual(['Email address', 'Nickname', 'Person name']);
    expect(customers.columns.map((c) => c.name)).toEqual(['email', 'full_name', 'nickname']);
    // "Every dataset with a column that holds personal data."
    const viaColumns = await store.datasetsHolding(`${ns}PersonalData`, {
      includeSubconcepts: true,
      via: 'COLUMN',
      limit: 100,
    });
    expect(viaColumns.map((h) => h.dataset.urn)).toEqual([urn('finance/invoices'), urn('retail/customers')]);
    const direct = await store.datasetsHolding(`${ns}PersonalData`, {
      includeSubconcepts: false,
      via: 'ANY',
      limit: 100,
    });
    expect(direct.map((h) => h.dataset.urn)).toEqual([urn('hr/people')]);
    expect((await store.columnsHolding(`${ns}ContactData`, true)).map((c) => `${c.datasetUrn}.${c.name}`)).toEqual([
      `${urn('finance/invoices')}.phone`,
      `${urn('retail/customers')}.email`,
    ]);
  });

  it('links in both directions: dataset and column concepts, and a column holds one concept', async () => {
    const ofDatasets = await store.conceptsOfDatasets([urn('retail/customers')], false);
    expect(ofDatasets.get(urn('retail/customers'))?.map((c) => c.label)).toEqual(['Customer']);
    const withColumns = await store.conceptsOfDatasets([urn('retail/customers')], true);
    expect(withColumns.get(urn('retail/customers'))?.map((c) => c.label)).toEqual([
      'Customer',
      'Email address',
      'Nickname',
      'Person name',
    ]);
    await writer.link(`${ns}PersonalData`, urn('retail/customers'), 'nickname');
    const col = await store.conceptOfColumns([{ datasetUrn: urn('retail/customers'), name: 'nickname' }]);
    expect([...col.values()].map((c) => c.label)).toEqual(['Personal data']);
    expect(await writer.unlink(`${ns}PersonalData`, urn('retail/customers'), 'nickname')).toBe(true);
    expect(await writer.unlink(`${ns}PersonalData`, urn('retail/customers'), 'nickname')).toBe(false);
    expect((await store.conceptOfColumns([{ datasetUrn: urn('retail/customers'), name: 'nickname' }])).size).toBe(0);
    await writer.link(`${ns}Nickname`, urn('retail/customers'), 'nickname');
    expect(await writer.link(`${ns}Unknown`, urn('retail/customers'), null)).toBe(false);
  });

  it('finds the shortest path between two concepts, over any relation, in either direction', async () => {
    const path = await store.shortestPath(`${ns}Invoice`, `${ns}Customer`, 6, [
      'SUB_CLASS_OF',
      'BROADER',
      'RELATED',
      'CUSTOM',
    ]);
    expect(path?.length).toBe(2);
    expect(path?.concepts.map((c) => c.label)).toEqual(['Invoice', 'Order', 'Customer']);
    expect(path?.steps.map((s) => [s.relation, s.predicate, s.forward])).toEqual([
      ['CUSTOM', `${ns}bills`, true],
      ['CUSTOM', `${ns}placedBy`, true],
    ]);
    const back = await store.shortestPath(`${ns}Nickname`, `${ns}EmailAddress`, 6, ['SUB_CLASS_OF', 'BROADER']);
    expect(back?.concepts.map((c) => c.label)).toEqual([
      'Nickname',
      'Person name',
      'Personal data',
      'Contact data',
      'Email address',
    ]);
    expect(back?.steps.map((s) => s.forward)).toEqual([true, true, false, false]);
    expect(await store.shortestPath(`${ns}Nickname`, `${ns}EmailAddress`, 3, ['SUB_CLASS_OF', 'BROADER'])).toBeNull();
    expect(await store.shortestPath(`${ns}Invoice`, `${ns}Customer`, 6, ['SUB_CLASS_OF'])).toBeNull();
    expect(
      await store.shortestPath(`${ns}Island`, `${ns}Customer`, 10, ['SUB_CLASS_OF', 'BROADER', 'RELATED', 'CUSTOM']),
    ).toBeNull();
    expect(await store.shortestPath(`${ns}Island`, `${ns}Island`, 10, ['CUSTOM'])).toMatchObject({ length: 0 });
  });
});
