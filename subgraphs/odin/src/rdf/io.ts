import jsonld from 'jsonld';
import { DataFactory, Parser, Writer, type Quad, type Term } from 'n3';
import { canonicalJson, findJsonSyntaxIssue, lineAndColumn, locateJson } from './json-position.js';
import { DEFAULT_PREFIXES, RDF_LANG_STRING, XSD_STRING } from './terms.js';

/** The GraphQL enum's values. */
export type RdfFormat = 'TURTLE' | 'N_TRIPLES' | 'JSON_LD';

export const MEDIA_TYPES: Record<RdfFormat, string> = {
  TURTLE: 'text/turtle',
  N_TRIPLES: 'application/n-triples',
  JSON_LD: 'application/ld+json',
};

export interface NamedTerm {
  kind: 'iri' | 'bnode';
  value: string;
}

export interface LiteralTerm {
  kind: 'literal';
  value: string;
  /** Lower-case language tag. */
  language?: string;
  /** Absent for xsd:string and language-tagged strings. */
  datatype?: string;
}

export type ObjectTerm = NamedTerm | LiteralTerm;

/** One RDF triple, independent of the parsing library. */
export interface Triple {
  s: NamedTerm;
  p: string;
  o: ObjectTerm;
}

export interface ParsedDocument {
  triples: Triple[];
  /** Prefixes declared by the document (Turtle `@prefix`, JSON-LD context prefixes). */
  prefixes: Record<string, string>;
}

/** Malformed input: where it broke, 1-based; null when the library could not say. */
export class RdfSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number | null,
    readonly column: number | null,
  ) {
    super(message);
    this.name = 'RdfSyntaxError';
  }
}

const N3_FORMATS: Record<Exclude<RdfFormat, 'JSON_LD'>, string> = { TURTLE: 'Turtle', N_TRIPLES: 'N-Triples' };
const ABSOLUTE_IRI = /^[a-z][a-z0-9+.-]*:/i;

interface N3ErrorContext {
  line?: number;
  token?: { line: number; start: number };
  previousToken?: { line: number; end: number };
}

/** n3 says the line; the column comes from the offending token, or the first character after the previous one. */
function n3Position(error: Error, content: string): { line: number | null; column: number | null } {
  const context = (error as Error & { context?: N3ErrorContext }).context;
  const line = context?.token?.line ?? context?.line ?? Number(/on line (\d+)/.exec(error.message)?.[1] ?? NaN);
  if (!Number.isFinite(line)) return { line: null, column: null };
  if (context?.token && context.token.line === line) return { line, column: context.token.start + 1 };
  const text = content.split('\n')[line - 1] ?? '';
  let from = context?.previousToken && context.previousToken.line === line ? context.previousToken.end : 0;
  while (from < text.length && /\s/.test(text[from]!)) from++;
  return { line, column: Math.min(from, text.length) + 1 };
}

function position(content: string, needle: string): { line: number | null; column: number | null } {
  const at = content.indexOf(needle);
  return at < 0 ? { line: null, column: null } : lineAndColumn(content, at);
}

function fromN3(quad: Quad, content: string): Triple {
  const named = (term: Term, role: string): NamedTerm => {
    if (term.termType === 'NamedNode') {
      if (!ABSOLUTE_IRI.test(term.value)) {
        const at = position(content, term.value);
        throw new RdfSyntaxError(
          `Relative IRI <${term.value}> (give a base IRI or write it absolute).`,
          at.line,
          at.column,
        );
      }
      return { kind: 'iri', value: term.value };
    }
    if (term.termType === 'BlankNode') return { kind: 'bnode', value: term.value };
    throw new RdfSyntaxError(`A ${role} must be an IRI or a blank node (found ${term.termType}).`, null, null);
  };
  if (quad.graph.termType !== 'DefaultGraph') {
    const at = position(content, quad.graph.value);
    throw new RdfSyntaxError(`Named graphs are not supported (found <${quad.graph.value}>).`, at.line, at.column);
  }
  const o = quad.object;
  let object: ObjectTerm;
  if (o.termType === 'Literal') {
    object = { kind: 'literal', value: o.value };
    if (o.language) object.language = o.language.toLowerCase();
    else if (o.datatype.value !== XSD_STRING && o.datatype.value !== RDF_LANG_STRING)
      object.datatype = o.datatype.value;
  } else {
    object = named(o, 'object');
  }
  if (quad.predicate.termType !== 'NamedNode') throw new RdfSyntaxError('A predicate must be an IRI.', null, null);
  return { s: named(quad.subject, 'subject'), p: named(quad.predicate, 'predicate').value, o: object };
}

function parseWithN3(content: string, format: string, baseIri?: string): ParsedDocument {
  const prefixes: Record<string, string> = {};
  let quads: Quad[];
  try {
    quads = new Parser({ format, blankNodePrefix: '', ...(baseIri ? { baseIRI: baseIri } : {}) }).parse(
      content,
      null,
      (prefix, iri) => {
        prefixes[prefix] = iri.value;
      },
    );
  } catch (error) {
    const at = n3Position(error as Error, content);
    throw new RdfSyntaxError((error as Error).message, at.line, at.column);
  }
  return { triples: dedupe(quads.map((q) => fromN3(q, content))), prefixes };
}

/** JSON-LD without the network: remote contexts are refused (inline them). */
const offlineLoader = async (url: string): Promise<never> => {
  throw new Error(`remote JSON-LD context ${url} is not loaded; inline the context`);
};

interface JsonLdError extends Error {
  details?: {
    url?: string;
    term?: string;
    context?: unknown;
    element?: unknown;
    event?: {
      code?: string;
      message?: string;
      details?: { property?: string; type?: string; id?: string; value?: unknown };
    };
  };
}

/**
 * What jsonld reports points at a key, a value or an object of the document, never at an offset:
 * find it with a position-tracking pass over the text (the key as written, a string value as
 * written, an object by its members in any order). Safe-mode errors say only "Safe mode
 * validation error.": the event's message and the offending term say more.
 */
function jsonLdErrorAt(
  error: JsonLdError,
  content: string,
): { message: string; line: number | null; column: number | null } {
  const d = error.details ?? {};
  const event = d.event;
  const term = event?.details?.property ?? d.term;
  const value = event?.details?.type ?? event?.details?.id ?? d.url;
  const what = term ?? value;
  const message = event?.message ? `${event.message}${what ? ` ("${what}")` : ''}` : error.message;
  let offset: number | undefined;
  try {
    const where = locateJson(content);
    if (term !== undefined) offset = where.members.find((m) => m.key === term)?.offset;
    if (offset === undefined && value !== undefined) {
      const key =
        event?.details?.type !== undefined
          ? '@type'
          : event?.details?.id !== undefined
            ? '@id'
            : d.url !== undefined
              ? '@context'
              : null;
      const hits = where.strings.filter((s) => s.value === value);
      offset = (hits.find((s) => s.key === key) ?? hits[0])?.offset;
    }
    const object = d.element ?? d.context;
    if (offset === undefined && object && typeof object === 'object') {
      const canonical = canonicalJson(object);
      offset = where.objects.find((o) => o.canonical === canonical)?.offset;
    }
  } catch {
    offset = undefined;
  }
  if (offset === undefined) return { message, line: null, column: null };
  return { message, ...lineAndColumn(content, offset) };
}

async function parseJsonLd(content: string, baseIri?: string): Promise<ParsedDocument> {
  let doc: unknown;
  try {
    doc = JSON.parse(content);
  } catch (error) {
    const issue = findJsonSyntaxIssue(content);
    throw new RdfSyntaxError(issue?.message ?? (error as Error).message, issue?.line ?? null, issue?.column ?? null);
  }
  let nquads: string;
  try {
    const options = {
      format: 'application/n-quads',
      documentLoader: offlineLoader,
      // Fail on anything the processor would silently drop (undefined terms, bad IRIs, ...).
      safe: true,
      ...(baseIri ? { base: baseIri } : {}),
    };
    nquads = (await jsonld.toRDF(doc as jsonld.JsonLdDocument, options as jsonld.Options.ToRdf)) as unknown as string;
  } catch (error) {
    const { message, line, column } = jsonLdErrorAt(error as JsonLdError, content);
    throw new RdfSyntaxError(`Invalid JSON-LD: ${message}`, line, column);
  }
  const prefixes: Record<string, string> = {};
  const context = (doc as { '@context'?: unknown } | null)?.['@context'];
  for (const ctx of Array.isArray(context) ? context : [context]) {
    if (ctx && typeof ctx === 'object') {
      for (const [k, v] of Object.entries(ctx)) {
        if (typeof v === 'string' && !k.startsWith('@') && /[#/:]$/.test(v)) prefixes[k] = v;
      }
    }
  }
  let quads: Quad[];
  try {
    quads = new Parser({ format: 'N-Quads', blankNodePrefix: '' }).parse(nquads);
  } catch (error) {
    throw new RdfSyntaxError(`Invalid JSON-LD: ${(error as Error).message}`, null, null);
  }
  return { triples: dedupe(quads.map((q) => fromN3(q, content))), prefixes };
}

/** Parses a document; malformed input throws RdfSyntaxError with the line and column. */
export async function parseRdf(
  content: string,
  format: RdfFormat,
  options: { baseIri?: string } = {},
): Promise<ParsedDocument> {
  if (format === 'JSON_LD') return parseJsonLd(content, options.baseIri);
  return parseWithN3(content, N3_FORMATS[format], options.baseIri);
}

// ---------------------------------------------------------------- writing

const toN3Subject = (t: NamedTerm) =>
  t.kind === 'iri' ? DataFactory.namedNode(t.value) : DataFactory.blankNode(t.value);

function toN3Object(t: ObjectTerm) {
  if (t.kind !== 'literal') return toN3Subject(t);
  if (t.language) return DataFactory.literal(t.value, t.language);
  return DataFactory.literal(t.value, t.datatype ? DataFactory.namedNode(t.datatype) : undefined);
}

const toQuad = (t: Triple) => DataFactory.quad(toN3Subject(t.s), DataFactory.namedNode(t.p), toN3Object(t.o));

const lineWriter = new Writer({ format: 'N-Triples' });

/** The triple as one N-Triples line (without the newline): a stable key, and how verbatim triples are stored. */
export function toNTriples(t: Triple): string {
  const q = toQuad(t);
  return lineWriter.quadToString(q.subject, q.predicate, q.object).trimEnd();
}

export function fromNTriples(lines: readonly string[]): Triple[] {
  if (!lines.length) return [];
  return new Parser({ format: 'N-Triples', blankNodePrefix: '' }).parse(lines.join('\n')).map((q) => fromN3(q, ''));
}

export function dedupe(triples: Triple[]): Triple[] {
  const seen = new Set<string>();
  return triples.filter((t) => {
    const key = toNTriples(t);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** In N-Triples order, the `lead` subject (an ontology's header) first. */
function sorted(triples: Triple[], lead?: string): Triple[] {
  return triples
    .map((t) => ({ t, key: `${t.s.kind === 'iri' && t.s.value === lead ? '0' : '1'}${toNTriples(t)}` }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ t }) => t);
}

function writeWithN3(
  triples: Triple[],
  format: string,
  prefixes?: Record<string, string>,
  lead?: string,
): Promise<string> {
  const writer = new Writer({ format, ...(prefixes ? { prefixes } : {}) });
  writer.addQuads(sorted(triples, lead).map(toQuad));
  return new Promise((resolve, reject) =>
    writer.end((error, result: string) => (error ? reject(error) : resolve(result))),
  );
}

/** Prefixes worth declaring: the document's own and the W3C ones, where some IRI uses them. */
function usedPrefixes(triples: Triple[], prefixes: Record<string, string>): Record<string, string> {
  const all = { ...DEFAULT_PREFIXES, ...prefixes };
  const iris = new Set<string>();
  for (const t of triples) {
    if (t.s.kind === 'iri') iris.add(t.s.value);
    iris.add(t.p);
    if (t.o.kind === 'iri') iris.add(t.o.value);
    if (t.o.kind === 'literal' && t.o.datatype) iris.add(t.o.datatype);
  }
  const namespaces = Object.entries(all).filter(([, ns]) => ns);
  const used: Record<string, string> = {};
  for (const iri of iris) {
    for (const [prefix, ns] of namespaces) if (iri.startsWith(ns)) used[prefix] = ns;
  }
  return used;
}

/** Writes triples in a format, sorted (the `lead` subject first), with the prefixes some IRI uses. */
export async function serializeRdf(
  triples: Triple[],
  format: RdfFormat,
  prefixes: Record<string, string> = {},
  lead?: string,
): Promise<string> {
  if (format === 'N_TRIPLES') return writeWithN3(triples, 'N-Triples', undefined, lead);
  const context = usedPrefixes(triples, prefixes);
  if (format === 'TURTLE') return writeWithN3(triples, 'Turtle', context, lead);
  const nquads = await writeWithN3(triples, 'N-Triples');
  const expanded = await jsonld.fromRDF(nquads, { format: 'application/n-quads', useNativeTypes: false });
  // Prefixes only (no term definitions), so every key is an IRI a reader can expand back.
  const safeContext = Object.fromEntries(
    Object.entries(context).filter(([k]) => /^[A-Za-z_][\w.-]*$/.test(k) && k !== '_'),
  );
  const compacted = await jsonld.compact(expanded, safeContext, {
    documentLoader: offlineLoader,
  } as jsonld.Options.Compact);
  return `${JSON.stringify(compacted, null, 2)}\n`;
}
