import { badUserInput, conflict } from '@dataos/errors';
import type { ParsedDocument, Triple } from './io.js';
import { toNTriples } from './io.js';
import {
  ALT_LABEL_PREDICATES,
  CONCEPT_TYPES,
  DCTERMS_TITLE,
  DEFINITION_PREDICATES,
  LABEL_PREDICATES,
  NS,
  OWL_ONTOLOGY,
  OWL_VERSION_INFO,
  PROPERTY_TYPES,
  RDFS_COMMENT,
  RDFS_DOMAIN,
  RDFS_RANGE,
  RDFS_SUBCLASS_OF,
  RDFS_SUBPROPERTY_OF,
  RDF_TYPE,
  SKOS_BROADER,
  SKOS_CONCEPT_SCHEME,
  SKOS_NARROWER,
  SKOS_RELATED,
  isBuiltinType,
  isDatatype,
  localName,
} from './terms.js';

/** Odin's node labels in Neo4j. */
export type NodeKind = 'Ontology' | 'Concept' | 'Property' | 'Instance';
export const NODE_KINDS: readonly NodeKind[] = ['Ontology', 'Concept', 'Property', 'Instance'];

/** Relationship types between Odin nodes; each carries the `ontology` whose import asserted it. */
export type EdgeType = 'SUB_CLASS_OF' | 'BROADER' | 'RELATED' | 'INSTANCE_OF' | 'DOMAIN' | 'RANGE' | 'RELATION';
export const EDGE_TYPES: readonly EdgeType[] = [
  'SUB_CLASS_OF',
  'BROADER',
  'RELATED',
  'INSTANCE_OF',
  'DOMAIN',
  'RANGE',
  'RELATION',
];

/** A literal-valued triple of a node (stored as JSON on the node). */
export interface Lit {
  p: string;
  v: string;
  l?: string;
  d?: string;
}

/** An IRI-valued triple of a node whose object is not a node of the graph. */
export type Ref = [predicate: string, iri: string];

export interface Existing {
  kind: NodeKind;
  /** The ontology that owns it; null for a node only referred to (a stub). */
  ontology: string | null;
}

/** What a node owned by the importing ontology looks like in Neo4j. */
export interface NodeRow {
  iri: string;
  kind: NodeKind;
  types: string[];
  lits: string;
  refs: string;
  label: string;
  definition: string | null;
  searchText: string;
}

export interface StubRow {
  iri: string;
  kind: NodeKind;
  label: string;
  searchText: string;
}

export interface EdgeRow {
  type: EdgeType;
  s: string;
  o: string;
  sKind: NodeKind;
  oKind: NodeKind;
  predicate: string;
  /** BROADER only: asserted as `s skos:broader o` and/or `o skos:narrower s`. */
  broader?: boolean;
  narrower?: boolean;
}

export interface OntologyHeader {
  iri: string;
  name: string;
  namespace: string;
  version: string | null;
  label: string | null;
  comment: string | null;
}

export interface ImportPlan {
  ontology: OntologyHeader;
  /** Nodes the ontology owns, its own node included. */
  nodes: NodeRow[];
  /** Existing stubs whose label changes (a stub made a concept that the document declares a property, ...). */
  relabel: { iri: string; from: NodeKind; to: NodeKind }[];
  /** Nodes referred to by a structural triple that nobody defines yet. */
  stubs: StubRow[];
  edges: EdgeRow[];
  /** Triples kept as N-Triples lines on the ontology: blank nodes, statements about another ontology's nodes. */
  verbatim: string[];
  tripleCount: number;
  counts: { concepts: number; properties: number; instances: number };
}

/** The ontology a document describes: the given IRI, else its owl:Ontology, else its only skos:ConceptScheme. */
export function ontologyIriOf(doc: ParsedDocument, given?: string | null): string {
  const typed = (type: string) => [
    ...new Set(
      doc.triples
        .filter((t) => t.p === RDF_TYPE && t.o.kind === 'iri' && t.o.value === type && t.s.kind === 'iri')
        .map((t) => t.s.value),
    ),
  ];
  const declared = typed(OWL_ONTOLOGY);
  if (given) {
    if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(given))
      throw badUserInput(`"${given}" is not an absolute IRI.`, { field: 'input.iri' });
    if (declared.length && !declared.includes(given)) {
      throw badUserInput(`The document declares the ontology <${declared[0]}>, not <${given}>.`, {
        field: 'input.iri',
      });
    }
    return given;
  }
  if (declared.length === 1) return declared[0]!;
  if (declared.length > 1) {
    throw badUserInput(`The document declares ${declared.length} ontologies; choose one with \`iri\`.`, {
      field: 'input.iri',
    });
  }
  const schemes = typed(SKOS_CONCEPT_SCHEME);
  if (schemes.length === 1) return schemes[0]!;
  throw badUserInput('The document declares no owl:Ontology (nor a single skos:ConceptScheme): give its `iri`.', {
    field: 'input.iri',
  });
}

// ---------------------------------------------------------------- labels in languages

interface LangValue {
  value: string;
  language: string | null;
}

function langRank(language: string | null, wanted: string | null): number {
  if (wanted && language === wanted) return 0;
  if (wanted && language?.startsWith(`${wanted}-`)) return 1;
  if (language === null) return 2;
  if (language === 'en') return 3;
  if (language.startsWith('en-')) return 4;
  return 5;
}

/** Values of the predicates, in predicate order. */
export function valuesOf(lits: readonly Lit[], predicates: readonly string[]): LangValue[] {
  const out: LangValue[] = [];
  for (const p of predicates) for (const l of lits) if (l.p === p) out.push({ value: l.v, language: l.l ?? null });
  return out;
}

/** The best value for a language: exact, then its region variants, then untagged, then English, then any. */
export function pickValue(values: readonly LangValue[], lang?: string | null): string | null {
  const wanted = lang?.toLowerCase() ?? 'en';
  let best: LangValue | null = null;
  let bestRank = Infinity;
  for (const v of values) {
    const rank = langRank(v.language, wanted);
    if (rank < bestRank) {
      best = v;
      bestRank = rank;
    }
  }
  return best?.value ?? null;
}

export const labelOf = (iri: string, lits: readonly Lit[], lang?: string | null) =>
  pickValue(valuesOf(lits, LABEL_PREDICATES), lang) ?? localName(iri);
export const definitionOf = (lits: readonly Lit[], lang?: string | null) =>
  pickValue(valuesOf(lits, DEFINITION_PREDICATES), lang);

export function searchTextOf(iri: string, lits: readonly Lit[]): string {
  const values = [...valuesOf(lits, LABEL_PREDICATES), ...valuesOf(lits, ALT_LABEL_PREDICATES)].map((v) => v.value);
  return [...new Set([...values, localName(iri)].map((v) => v.toLowerCase()))].join('\n');
}

// ---------------------------------------------------------------- planning

const CONCEPT_OBJECT_PREDICATES = new Set([RDFS_SUBCLASS_OF, SKOS_BROADER, SKOS_NARROWER, SKOS_RELATED, RDFS_DOMAIN]);

/**
 * Maps a document onto Odin's model for `ontologyIri`, given the nodes that already exist for its
 * IRIs (after the ontology's previous import was reset to stubs). Every triple lands in exactly
 * one place, so exporting the ontology gives back the same set of triples.
 */
export function planImport(
  doc: ParsedDocument,
  header: { iri: string; name?: string | null; namespace?: string | null; version?: string | null },
  existing: ReadonlyMap<string, Existing>,
): ImportPlan {
  const ontologyIri = header.iri;
  const types = new Map<string, Set<string>>();
  const conceptHint = new Set<string>();
  const propertyHint = new Set<string>();
  const subjects = new Set<string>([ontologyIri]);
  for (const t of doc.triples) {
    if (t.s.kind === 'iri') subjects.add(t.s.value);
    const s = t.s.kind === 'iri' ? t.s.value : null;
    const o = t.o.kind === 'iri' ? t.o.value : null;
    if (t.p === RDF_TYPE && s && o) {
      let set = types.get(s);
      if (!set) types.set(s, (set = new Set()));
      set.add(o);
      if (!isBuiltinType(o)) conceptHint.add(o);
    } else if (t.p === RDFS_SUBCLASS_OF || t.p === SKOS_BROADER || t.p === SKOS_NARROWER || t.p === SKOS_RELATED) {
      if (s) conceptHint.add(s);
      if (o) conceptHint.add(o);
    } else if (t.p === RDFS_DOMAIN || t.p === RDFS_RANGE) {
      if (s) propertyHint.add(s);
      if (o && !(t.p === RDFS_RANGE && isDatatype(o))) conceptHint.add(o);
    } else if (t.p === RDFS_SUBPROPERTY_OF) {
      if (s) propertyHint.add(s);
      if (o) propertyHint.add(o);
    }
  }

  const docKind = (iri: string): NodeKind => {
    if (iri === ontologyIri) return 'Ontology';
    const declared = types.get(iri);
    if (declared && [...declared].some((x) => CONCEPT_TYPES.has(x))) return 'Concept';
    if (declared && [...declared].some((x) => PROPERTY_TYPES.has(x))) return 'Property';
    if (conceptHint.has(iri)) return 'Concept';
    if (propertyHint.has(iri)) return 'Property';
    return 'Instance';
  };

  // Who owns each subject: this ontology (new nodes and stubs it adopts) or another one.
  const owned = new Map<string, NodeKind>();
  const kinds = new Map<string, NodeKind>();
  const relabel: ImportPlan['relabel'] = [];
  for (const iri of subjects) {
    const ex = existing.get(iri);
    const kind = docKind(iri);
    if (ex && ex.ontology !== null && ex.ontology !== ontologyIri) {
      if (iri === ontologyIri)
        throw conflict(`<${iri}> is already a ${ex.kind.toLowerCase()} of the ontology <${ex.ontology}>.`, {
          field: 'input.iri',
        });
      kinds.set(iri, ex.kind);
      continue;
    }
    owned.set(iri, kind);
    kinds.set(iri, kind);
    if (ex && ex.kind !== kind) relabel.push({ iri, from: ex.kind, to: kind });
  }
  const stubs = new Map<string, StubRow>();
  const kindOf = (iri: string, stubAs?: NodeKind): NodeKind | null => {
    const known = kinds.get(iri) ?? existing.get(iri)?.kind;
    if (known) return known;
    if (!stubAs) return null;
    const name = localName(iri);
    stubs.set(iri, { iri, kind: stubAs, label: name, searchText: name.toLowerCase() });
    kinds.set(iri, stubAs);
    return stubAs;
  };

  const nodeData = new Map<string, { types: string[]; lits: Lit[]; refs: Ref[] }>();
  for (const iri of owned.keys()) nodeData.set(iri, { types: [], lits: [], refs: [] });
  const edges = new Map<string, EdgeRow>();
  const verbatim: string[] = [];
  const addEdge = (type: EdgeType, s: string, o: string, predicate: string, flag?: 'broader' | 'narrower') => {
    const key = `${type}\u0000${s}\u0000${o}\u0000${type === 'RELATION' ? predicate : ''}`;
    let edge = edges.get(key);
    if (!edge) {
      edge = { type, s, o, sKind: kindOf(s, 'Concept')!, oKind: kindOf(o, 'Concept')!, predicate };
      edges.set(key, edge);
    }
    if (flag) edge[flag] = true;
  };

  // Stubs first, so that whether a custom predicate's object is a node does not depend on triple order.
  for (const t of doc.triples) {
    if (t.s.kind !== 'iri' || t.o.kind !== 'iri') continue;
    const o = t.o.value;
    if (t.p === SKOS_NARROWER) kindOf(o, 'Concept');
    else if (
      (t.p === RDF_TYPE && !isBuiltinType(o)) ||
      CONCEPT_OBJECT_PREDICATES.has(t.p) ||
      (t.p === RDFS_RANGE && !isDatatype(o))
    ) {
      kindOf(o, 'Concept');
    }
  }

  for (const t of doc.triples) {
    if (t.s.kind === 'bnode' || t.o.kind === 'bnode') {
      verbatim.push(toNTriples(t));
      continue;
    }
    const s = t.s.value;
    const data = nodeData.get(s);
    if (t.o.kind === 'literal') {
      if (!data) verbatim.push(toNTriples(t));
      else
        data.lits.push({
          p: t.p,
          v: t.o.value,
          ...(t.o.language ? { l: t.o.language } : {}),
          ...(t.o.datatype ? { d: t.o.datatype } : {}),
        });
      continue;
    }
    const o = t.o.value;
    if (t.p === RDF_TYPE && isBuiltinType(o)) {
      if (!data) verbatim.push(toNTriples(t));
      else data.types.push(o);
    } else if (t.p === RDF_TYPE) addEdge('INSTANCE_OF', s, o, t.p);
    else if (t.p === RDFS_SUBCLASS_OF) addEdge('SUB_CLASS_OF', s, o, t.p);
    else if (t.p === SKOS_BROADER) addEdge('BROADER', s, o, t.p, 'broader');
    else if (t.p === SKOS_NARROWER) addEdge('BROADER', o, s, t.p, 'narrower');
    else if (t.p === SKOS_RELATED) addEdge('RELATED', s, o, t.p);
    else if (t.p === RDFS_DOMAIN) addEdge('DOMAIN', s, o, t.p);
    else if (t.p === RDFS_RANGE && !isDatatype(o)) addEdge('RANGE', s, o, t.p);
    else if (t.p !== RDFS_RANGE && kindOf(o)) addEdge('RELATION', s, o, t.p);
    else if (data) data.refs.push([t.p, o]);
    else verbatim.push(toNTriples(t));
  }

  const nodes: NodeRow[] = [];
  const counts = { concepts: 0, properties: 0, instances: 0 };
  for (const [iri, kind] of owned) {
    const data = nodeData.get(iri)!;
    if (kind === 'Concept') counts.concepts++;
    else if (kind === 'Property') counts.properties++;
    else if (kind === 'Instance') counts.instances++;
    nodes.push({
      iri,
      kind,
      types: data.types,
      lits: JSON.stringify(data.lits),
      refs: JSON.stringify(data.refs),
      label: labelOf(iri, data.lits),
      definition: definitionOf(data.lits),
      searchText: searchTextOf(iri, data.lits),
    });
  }

  const own = nodeData.get(ontologyIri)!;
  const title = pickValue([...valuesOf(own.lits, LABEL_PREDICATES), ...valuesOf(own.lits, [DCTERMS_TITLE])]);
  const namespace =
    header.namespace || doc.prefixes[''] || (/[#/]$/.test(ontologyIri) ? ontologyIri : `${ontologyIri}#`);
  return {
    ontology: {
      iri: ontologyIri,
      name: header.name || title || localName(ontologyIri),
      namespace,
      version: header.version || own.lits.find((l) => l.p === OWL_VERSION_INFO)?.v || null,
      label: title,
      comment: pickValue(valuesOf(own.lits, [RDFS_COMMENT, `${NS.dcterms}description`, `${NS.skos}definition`])),
    },
    nodes,
    relabel,
    stubs: [...stubs.values()],
    edges: [...edges.values()],
    verbatim,
    tripleCount: doc.triples.length,
    counts,
  };
}

/** The triples an ontology's stored data stands for (the inverse of planImport). */
export function triplesOfNode(
  iri: string,
  types: readonly string[],
  lits: readonly Lit[],
  refs: readonly Ref[],
): Triple[] {
  const s = { kind: 'iri' as const, value: iri };
  return [
    ...types.map((o) => ({ s, p: RDF_TYPE, o: { kind: 'iri' as const, value: o } })),
    ...lits.map((l) => ({
      s,
      p: l.p,
      o: { kind: 'literal' as const, value: l.v, ...(l.l ? { language: l.l } : {}), ...(l.d ? { datatype: l.d } : {}) },
    })),
    ...refs.map(([p, o]) => ({ s, p, o: { kind: 'iri' as const, value: o } })),
  ];
}

export const EDGE_PREDICATES: Record<Exclude<EdgeType, 'RELATION' | 'BROADER'>, string> = {
  SUB_CLASS_OF: RDFS_SUBCLASS_OF,
  RELATED: SKOS_RELATED,
  INSTANCE_OF: RDF_TYPE,
  DOMAIN: RDFS_DOMAIN,
  RANGE: RDFS_RANGE,
};

export function triplesOfEdge(edge: {
  type: EdgeType;
  s: string;
  o: string;
  predicate: string | null;
  broader?: boolean | null;
  narrower?: boolean | null;
}): Triple[] {
  const iri = (value: string) => ({ kind: 'iri' as const, value });
  if (edge.type === 'BROADER') {
    return [
      ...(edge.broader ? [{ s: iri(edge.s), p: SKOS_BROADER, o: iri(edge.o) }] : []),
      ...(edge.narrower ? [{ s: iri(edge.o), p: SKOS_NARROWER, o: iri(edge.s) }] : []),
    ];
  }
  const p = edge.type === 'RELATION' ? edge.predicate! : EDGE_PREDICATES[edge.type];
  return [{ s: iri(edge.s), p, o: iri(edge.o) }];
}
