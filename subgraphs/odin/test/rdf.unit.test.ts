import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findJsonSyntaxIssue } from '../src/rdf/json-position.js';
import { RdfSyntaxError, parseRdf, serializeRdf, toNTriples, type RdfFormat } from '../src/rdf/io.js';
import {
  labelOf,
  ontologyIriOf,
  planImport,
  triplesOfEdge,
  triplesOfNode,
  type Existing,
  type Lit,
  type Ref,
} from '../src/rdf/model.js';
import { canonical, richTurtle } from './helpers.js';

const BASE = 'https://unit.dataos.local/onto';

async function syntaxError(content: string, format: RdfFormat): Promise<RdfSyntaxError> {
  try {
    await parseRdf(content, format);
  } catch (error) {
    if (error instanceof RdfSyntaxError) return error;
    throw error;
  }
  throw new Error('parsed without error');
}

describe('parsing', () => {
  it('reads Turtle with prefixes, language tags, datatypes, blank nodes and lists', async () => {
    const doc = await parseRdf(richTurtle(BASE), 'TURTLE');
    expect(doc.prefixes['']).toBe(`${BASE}#`);
    const labels = doc.triples.filter((t) => t.s.value === `${BASE}#Customer` && t.p.endsWith('prefLabel'));
    expect(labels.map((t) => t.o)).toContainEqual({ kind: 'literal', value: 'Kunde', language: 'de' });
    expect(
      doc.triples.some((t) => t.o.kind === 'literal' && t.o.datatype === 'http://www.w3.org/2001/XMLSchema#decimal'),
    ).toBe(true);
    expect(doc.triples.some((t) => t.s.kind === 'bnode')).toBe(true);
  });

  it.each([
    ['an unterminated string', '@prefix ex: <http://ex.org/> .\nex:a ex:b ex:c .\nex:d ex:e  "unterminated .\n', 3, 12],
    ['a missing dot', '@prefix ex: <http://ex.org/> .\nex:a ex:b ex:c .\n  ex:d ex:e ex:f ex:g .\n', 3, 18],
    ['an undefined prefix', '@prefix ex: <http://ex.org/> .\n\nex:a foo:b ex:c .\n', 3, 6],
    ['a stray character', '@prefix ex: <http://ex.org/> .\nex:a ex:b ex:c ;\n\tex:d ^ .\n', 3, 7],
  ])('refuses Turtle with %s, at its line and column', async (_what, content, line, column) => {
    const error = await syntaxError(content, 'TURTLE');
    expect({ line: error.line, column: error.column }).toEqual({ line, column });
  });

  it('refuses N-Triples that use Turtle shortcuts, at the line and column', async () => {
    const error = await syntaxError(
      '<http://a> <http://b> <http://c> .\n<http://a> <http://b> "x"@en <http://c> .\n',
      'N_TRIPLES',
    );
    expect({ line: error.line, column: error.column }).toEqual({ line: 2, column: 30 });
    const prefixed = await syntaxError('<http://a> <http://b> <http://c> .\n@prefix ex: <http://ex/> .\n', 'N_TRIPLES');
    expect(prefixed.line).toBe(2);
  });

  it('refuses relative IRIs without a base, and resolves them with one', async () => {
    const error = await syntaxError('<http://a> <http://b> <rel/c> .\n', 'TURTLE');
    expect(error.message).toMatch(/Relative IRI/);
    const doc = await parseRdf('<http://a> <http://b> <rel/c> .\n', 'TURTLE', { baseIri: 'http://base.example/x/' });
    expect(doc.triples[0]!.o).toEqual({ kind: 'iri', value: 'http://base.example/x/rel/c' });
  });

  it('refuses malformed JSON-LD at the line and column of the JSON error', async () => {
    const error = await syntaxError('{\n  "@id": "http://a",\n  "http://b": "x",\n}\n', 'JSON_LD');
    expect({ line: error.line, column: error.column }).toEqual({ line: 4, column: 1 });
    const tru = await syntaxError('{\n "@id": "http://a",\n "http://b": tru }', 'JSON_LD');
    expect({ line: tru.line, column: tru.column }).toEqual({ line: 3, column: 14 });
  });

  it('refuses JSON-LD that would silently drop data, and remote contexts', async () => {
    const dropped = await syntaxError('{"@id": "http://a", "undefinedTerm": "x"}', 'JSON_LD');
    expect(dropped.message).toMatch(/Invalid JSON-LD/);
    const remote = await syntaxError('{\n"@context": "https://schema.org/",\n"@id": "http://a"}', 'JSON_LD');
    expect(remote.message).toMatch(/remote|context/i);
    expect(remote.line).toBe(2);
  });

  it('gives the line and column of the key, value or object JSON-LD processing refuses', async () => {
    const ctx = '"@context": {"ex": "https://ex.org/"}';
    // The undefined term is also a value earlier on: the key is meant, not the first match in the text.
    const term = await syntaxError(
      `{\n  ${ctx},\n  "@id": "https://ex.org/a",\n  "ex:label": "nickname",\n  "nickname": "x"\n}`,
      'JSON_LD',
    );
    expect({ line: term.line, column: term.column }).toEqual({ line: 5, column: 3 });
    expect(term.message).toMatch(/Dropping property.*"nickname"/);
    // Written with an escape: still found.
    const escaped = await syntaxError(
      `{\n  ${ctx},\n  "@id": "https://ex.org/a",\n  "nick\\u006eame": "x"\n}`,
      'JSON_LD',
    );
    expect({ line: escaped.line, column: escaped.column }).toEqual({ line: 4, column: 3 });
    const type = await syntaxError(`{\n  ${ctx},\n  "@id": "https://ex.org/a",\n  "@type": "Foo"\n}`, 'JSON_LD');
    expect({ line: type.line, column: type.column }).toEqual({ line: 4, column: 12 });
    expect(type.message).toMatch(/Relative @type reference.*"Foo"/);
    const id = await syntaxError(
      `{\n  ${ctx},\n  "@id": "https://ex.org/a",\n  "ex:knows": {\n    "@id": "bob"\n  }\n}`,
      'JSON_LD',
    );
    expect({ line: id.line, column: id.column }).toEqual({ line: 5, column: 12 });
    const lang = await syntaxError(
      `{\n  ${ctx},\n  "@id": "https://ex.org/a",\n  "ex:age": {"@value": 3, "@language": "en"}\n}`,
      'JSON_LD',
    );
    expect({ line: lang.line, column: lang.column }).toEqual({ line: 4, column: 13 });
  });

  it('locates JSON syntax errors itself', () => {
    expect(findJsonSyntaxIssue('{"a": [1, 2}')).toMatchObject({ line: 1, column: 12 });
    expect(findJsonSyntaxIssue('{"a": "x\ny"}')).toMatchObject({ line: 1, column: 9 });
    expect(findJsonSyntaxIssue('[1]\n[2]')).toMatchObject({ line: 2, column: 1 });
    expect(findJsonSyntaxIssue('{"a": [1, {"b": null}]}')).toBeNull();
  });

  it.each(['TURTLE', 'N_TRIPLES', 'JSON_LD'] as const)(
    'writes %s that parses back to the same triples',
    async (format) => {
      const doc = await parseRdf(richTurtle(BASE), 'TURTLE');
      const text = await serializeRdf(doc.triples, format, doc.prefixes);
      const back = await parseRdf(text, format);
      expect(await canonical(back.triples)).toEqual(await canonical(doc.triples));
    },
  );

  it('parses the shipped vocabulary and business ontology', async () => {
    for (const path of ['../vocabularies/schema-org-subset.ttl', '../ontologies/business.ttl']) {
      const doc = await parseRdf(readFileSync(new URL(path, import.meta.url), 'utf8'), 'TURTLE');
      expect(doc.triples.length).toBeGreaterThan(50);
    }
  });
});

describe('mapping onto the model', () => {
  const plan = async (existing = new Map<string, Existing>()) => {
    const doc = await parseRdf(richTurtle(BASE), 'TURTLE');
    return { doc, plan: planImport(doc, { iri: ontologyIriOf(doc) }, existing) };
  };
  const kindOf = (p: Awaited<ReturnType<typeof plan>>['plan'], local: string) =>
    p.nodes.find((n) => n.iri === `${BASE}#${local}`)?.kind;

  it('classifies subjects by their types, then by how they are used', async () => {
    const { plan: p } = await plan();
    expect(p.ontology).toMatchObject({ iri: BASE, name: 'Round trip ontology', version: '2.1', namespace: `${BASE}#` });
    expect(kindOf(p, 'Customer')).toBe('Concept');
    expect(kindOf(p, 'VipCustomer')).toBe('Concept'); // untyped, subject of rdfs:subClassOf
    expect(kindOf(p, 'Refund')).toBe('Concept'); // untyped, object of skos:narrower
    expect(kindOf(p, 'placedBy')).toBe('Property');
    expect(kindOf(p, 'acme')).toBe('Instance');
    expect(kindOf(p, 'bob')).toBe('Instance');
    expect(p.counts).toEqual({ concepts: 9, properties: 3, instances: 3 });
    const edgeTypes = new Set(p.edges.map((e) => e.type));
    expect([...edgeTypes].sort()).toEqual([
      'BROADER',
      'DOMAIN',
      'INSTANCE_OF',
      'RANGE',
      'RELATED',
      'RELATION',
      'SUB_CLASS_OF',
    ]);
    expect(p.edges.find((e) => e.type === 'BROADER' && e.s === `${BASE}#Refund`)).toMatchObject({
      o: `${BASE}#Transaction`,
      narrower: true,
    });
    expect(p.edges.find((e) => e.type === 'RELATION' && e.predicate === `${BASE}#servedBy`)).toMatchObject({
      s: `${BASE}#Customer`,
      o: `${BASE}#Shop`,
    });
    // Blank nodes are kept verbatim: the restriction (4 triples) and the two-item list (5).
    expect(p.verbatim.length).toBe(9);
    // An IRI that is no resource of the graph stays an annotation; one that is becomes an edge.
    const acme = p.nodes.find((n) => n.iri === `${BASE}#acme`)!;
    expect(JSON.parse(acme.refs)).toEqual([[`${BASE}#homepage`, 'https://acme.example/']]);
    expect(p.edges.find((e) => e.predicate.endsWith('exactMatch'))).toMatchObject({
      type: 'RELATION',
      o: `${BASE}-ext/terms/Customer`,
    });
    const customer = p.nodes.find((n) => n.iri === `${BASE}#Customer`)!;
    expect(customer.label).toBe('Customer');
    expect(customer.searchText.split('\n')).toEqual(expect.arrayContaining(['customer', 'kunde', 'client', 'buyer']));
  });

  it('keeps statements about another ontology’s resources verbatim, and links to them', async () => {
    const { plan: p } = await plan(
      new Map([[`${BASE}-ext/terms/Customer`, { kind: 'Concept', ontology: 'https://other.example/' }]]),
    );
    expect(p.nodes.some((n) => n.iri === `${BASE}-ext/terms/Customer`)).toBe(false);
    expect(p.verbatim).toContain(
      `<${BASE}-ext/terms/Customer> <http://www.w3.org/2000/01/rdf-schema#label> "External customer" .`,
    );
    expect(p.edges.find((e) => e.o === `${BASE}-ext/terms/Customer`)).toMatchObject({
      type: 'RELATION',
      oKind: 'Concept',
    });
  });

  it('stores every triple exactly once: the plan gives back the document', async () => {
    const { doc, plan: p } = await plan();
    const rebuilt = [
      ...p.nodes.flatMap((n) =>
        triplesOfNode(n.iri, n.types, JSON.parse(n.lits) as Lit[], JSON.parse(n.refs) as Ref[]),
      ),
      ...p.edges.flatMap((e) => triplesOfEdge(e)),
      ...(await parseRdf(p.verbatim.join('\n'), 'N_TRIPLES')).triples,
    ];
    expect(rebuilt.length).toBe(doc.triples.length);
    expect(new Set(rebuilt.map(toNTriples))).toEqual(new Set(doc.triples.map(toNTriples)));
  });

  it('chooses the ontology: given, declared, or the only concept scheme', async () => {
    const doc = await parseRdf('<http://s/scheme> a <http://www.w3.org/2004/02/skos/core#ConceptScheme> .', 'TURTLE');
    expect(ontologyIriOf(doc)).toBe('http://s/scheme');
    expect(ontologyIriOf(doc, 'http://given/')).toBe('http://given/');
    const none = await parseRdf('<http://a> <http://b> "c" .', 'TURTLE');
    expect(() => ontologyIriOf(none)).toThrow(/no owl:Ontology/);
    const declared = await parseRdf(richTurtle(BASE), 'TURTLE');
    expect(() => ontologyIriOf(declared, 'http://other/')).toThrow(/declares the ontology/);
  });

  it('picks labels by language: asked, region variant, untagged, English, any', () => {
    const lits: Lit[] = [
      { p: 'http://www.w3.org/2004/02/skos/core#prefLabel', v: 'Kunde', l: 'de' },
      { p: 'http://www.w3.org/2004/02/skos/core#prefLabel', v: 'Customer', l: 'en-gb' },
      { p: 'http://www.w3.org/2000/01/rdf-schema#label', v: 'client', l: 'fr' },
    ];
    expect(labelOf('http://x/C', lits)).toBe('Customer');
    expect(labelOf('http://x/C', lits, 'de')).toBe('Kunde');
    expect(labelOf('http://x/C', lits, 'fr')).toBe('client');
    expect(labelOf('http://x/C', [])).toBe('C');
  });
});
