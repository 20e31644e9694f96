import { badUserInput, notFound } from '@dataos/errors';
import { DateTimeScalar, requireAllowed } from '@dataos/subgraph-kit';
import {
  ONTOLOGIES_PATH,
  assertDatasetUrn,
  assertIri,
  canRead,
  columnName,
  optionalIri,
  readable,
  requireLinkTarget,
  searchText,
} from './access.js';
import type { Context } from './context.js';
import type { Annotation, LangString, Resolvers } from './generated/resolvers.js';
import { importOntology } from './import.js';
import { HOLDING_SCAN_LIMIT } from './loaders.js';
import { MEDIA_TYPES, serializeRdf } from './rdf/io.js';
import { pickValue, valuesOf } from './rdf/model.js';
import { ALT_LABEL_PREDICATES, DEFINITION_PREDICATES, LABEL_PREDICATES } from './rdf/terms.js';
import { annotationsOf, langStrings } from './store/cypher.js';
import { MAX_DEPTH, MAX_PATH, columnKey, type LinkScope } from './store/ontology.js';
import type { ConceptRecord, ConceptRelationKind } from './store/records.js';

/** Columns one `columnConcepts` call may ask about (a query's columns, with their lineage sources). */
export const MAX_COLUMN_LOOKUP = 1000;

function bounded(value: number | null | undefined, fallback: number, min: number, max: number, field: string): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < min || n > max)
    throw badUserInput(`${field} must be between ${min} and ${max}.`, { field });
  return n;
}

const pick = (values: readonly LangString[], lang: string | null | undefined) =>
  pickValue(
    values.map((v) => ({ value: v.value, language: v.language ?? null })),
    lang,
  );

const fromAnnotations = (annotations: readonly Annotation[], predicates: readonly string[]): LangString[] =>
  predicates.flatMap((p) =>
    annotations
      .filter((a) => !a.iri && a.predicate === p)
      .map((a) => ({ value: a.value, language: a.language ?? null })),
  );

/** Ancestor / descendant loader key: options normalised so equal requests share one batch. */
const hierarchyKey = (
  iri: string,
  direction: 'up' | 'down',
  maxDepth: number | null | undefined,
  relations: readonly string[] | null | undefined,
) => ({
  iri,
  direction,
  maxDepth: bounded(maxDepth, 10, 1, MAX_DEPTH, 'maxDepth'),
  relations: [...new Set(relations ?? ['SUB_CLASS_OF', 'BROADER'])].sort().join('|'),
});

async function ontologyOfResource(iri: string, ctx: Context) {
  const ontology = await ctx.loaders.ontologyOf.load(iri);
  return ontology ? ctx.loaders.ontology.load(ontology) : null;
}

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query: {
    ontologies: (_root, _args, ctx) => ctx.store.ontologies(),
    ontology: (_root, { iri }, ctx) => ctx.loaders.ontology.load(assertIri(iri, 'iri')),
    concept: (_root, { iri }, ctx) => ctx.loaders.concept.load(assertIri(iri, 'iri')),
    concepts: async (_root, { search, ontology, first }, ctx) => {
      const found = await ctx.store.search(searchText(search, 'search'), {
        ontology: optionalIri(ontology, 'ontology'),
        first: bounded(first, 50, 1, 500, 'first'),
      });
      for (const c of found) ctx.loaders.concept.prime(c.iri, c);
      return found;
    },
    properties: (_root, { ontology, search, first }, ctx) =>
      ctx.store.properties({
        ontology: optionalIri(ontology, 'ontology'),
        search: searchText(search, 'search'),
        first: bounded(first, 50, 1, 500, 'first'),
      }),
    property: async (_root, { iri }, ctx) => (await ctx.store.properties({ iris: [assertIri(iri, 'iri')] }))[0] ?? null,
    instances: (_root, { ontology, type, includeSubconcepts, first }, ctx) =>
      ctx.store.instances({
        ontology: optionalIri(ontology, 'ontology'),
        type: optionalIri(type, 'type'),
        includeSubconcepts: includeSubconcepts ?? true,
        first: bounded(first, 50, 1, 500, 'first'),
      }),
    instance: async (_root, { iri }, ctx) => (await ctx.store.instances({ iris: [assertIri(iri, 'iri')] }))[0] ?? null,
    conceptPath: (_root, { from, to, maxLength, relations }, ctx) =>
      ctx.store.shortestPath(
        assertIri(from, 'from'),
        assertIri(to, 'to'),
        bounded(maxLength, 6, 1, MAX_PATH, 'maxLength'),
        (relations ?? ['SUB_CLASS_OF', 'BROADER', 'RELATED', 'CUSTOM']) as ConceptRelationKind[],
      ),
    datasetsHoldingConcept: async (_root, { iri, includeSubconcepts, via, first }, ctx) => {
      const limit = bounded(first, 100, 1, 500, 'first');
      // An unknown concept is a typo to report, not an empty answer that reads as "nothing holds it".
      if (!(await ctx.loaders.concept.load(assertIri(iri, 'iri'))))
        throw notFound(`No concept ${iri} in the knowledge graph.`, { field: 'iri' });
      const rows = await ctx.store.datasetsHolding(iri, {
        includeSubconcepts: includeSubconcepts ?? true,
        via: (via ?? 'ANY') as LinkScope,
        limit: HOLDING_SCAN_LIMIT,
      });
      return (await readable(ctx, rows, (r) => r.dataset.urn)).slice(0, limit);
    },
    exportOntology: async (_root, { iri, format }, ctx) => {
      const exported = await ctx.writer.exportTriples(assertIri(iri, 'iri'));
      if (!exported) return null;
      return {
        ontology: iri,
        format,
        mediaType: MEDIA_TYPES[format],
        content: await serializeRdf(exported.triples, format, exported.prefixes, iri),
        triples: exported.triples.length,
      };
    },
    columnConcepts: async (_root, { columns }, ctx) => {
      if (columns.length > MAX_COLUMN_LOOKUP)
        throw badUserInput(`columns: at most ${MAX_COLUMN_LOOKUP} per call.`, { field: 'columns' });
      const refs = columns.map((c, i) => ({
        datasetUrn: assertDatasetUrn(c.datasetUrn, `columns[${i}].datasetUrn`),
        name: columnName(c.name, `columns[${i}].name`)!,
      }));
      // One Metis call for every dataset (the session batches a tick's URNs), then two Cypher queries.
      const visible = await Promise.all(refs.map((r) => canRead(ctx, r.datasetUrn)));
      const linked = await ctx.store.conceptOfColumns(refs.filter((_, i) => visible[i]));
      const iris = [...new Set([...linked.values()].map((c) => c.iri))];
      const above = iris.length
        ? await ctx.store.hierarchyOf(iris, 'up', MAX_DEPTH, ['SUB_CLASS_OF', 'BROADER'])
        : new Map<string, { concept: ConceptRecord; distance: number }[]>();
      return refs.map((r, i) => {
        const own = visible[i] ? linked.get(columnKey(r)) : undefined;
        return {
          ...r,
          visible: visible[i]!,
          concepts: own ? [{ concept: own, distance: 0 }, ...(above.get(own.iri) ?? [])] : [],
        };
      });
    },
  },
  Mutation: {
    importOntology: async (_root, { input }, ctx) => {
      await requireAllowed(ctx, 'write', ONTOLOGIES_PATH);
      optionalIri(input.iri, 'input.iri');
      optionalIri(input.namespace, 'input.namespace');
      optionalIri(input.baseIri, 'input.baseIri');
      const summary = await importOntology(ctx.writer, input, ctx.principal?.id ?? null);
      const [ontology] = await ctx.store.ontologies([summary.iri]);
      if (!ontology) throw new Error(`ontology ${summary.iri} missing right after its import`);
      const { iri: _iri, ...counts } = summary;
      return { ontology, ...counts };
    },
    deleteOntology: async (_root, { iri }, ctx) => {
      // Authorize, then validate: a caller who may not write learns nothing from the input.
      await requireAllowed(ctx, 'write', ONTOLOGIES_PATH);
      assertIri(iri, 'iri');
      return { iri, deleted: await ctx.writer.deleteOntology(iri) };
    },
    linkConcept: async (_root, { input }, ctx) => {
      // Only what names the object Heimdall is asked about is checked before it is asked.
      const urn = assertDatasetUrn(input.datasetUrn, 'input.datasetUrn');
      const column = columnName(input.column, 'input.column');
      // Never a dangling link: the dataset (and column) must exist in Metis for the caller.
      await requireLinkTarget(ctx, urn, column);
      const iri = assertIri(input.concept, 'input.concept');
      if (!(await ctx.writer.link(iri, urn, column))) {
        throw notFound(`No concept <${input.concept}>.`, { field: 'input.concept' });
      }
      const concept = (await ctx.store.conceptsByIri([input.concept]))[0]!;
      return {
        concept,
        dataset: { urn },
        column: column === null ? null : { datasetUrn: urn, name: column },
        linked: true,
      };
    },
    unlinkConcept: async (_root, { input }, ctx) => {
      const urn = assertDatasetUrn(input.datasetUrn, 'input.datasetUrn');
      const column = columnName(input.column, 'input.column');
      // A dataset Metis still shows is checked with its tags; a gone one (dangling link) by its path.
      if (await ctx.metis.dataset(urn)) await requireLinkTarget(ctx, urn, null);
      else await requireAllowed(ctx, 'write', urn);
      assertIri(input.concept, 'input.concept');
      const concept = await ctx.loaders.concept.load(input.concept);
      if (!concept) throw notFound(`No concept <${input.concept}>.`, { field: 'input.concept' });
      await ctx.writer.unlink(input.concept, urn, column);
      return {
        concept,
        dataset: { urn },
        column: column === null ? null : { datasetUrn: urn, name: column },
        linked: false,
      };
    },
  },
  Concept: {
    __resolveReference: (ref, ctx) => ctx.loaders.concept.load(ref.iri),
    label: (c, { lang }) => (lang ? (pickValue(valuesOf(c.lits, LABEL_PREDICATES), lang) ?? c.label) : c.label),
    labels: (c) => langStrings(c.lits, LABEL_PREDICATES),
    altLabels: (c) => langStrings(c.lits, ALT_LABEL_PREDICATES),
    definition: (c, { lang }) =>
      lang ? (pickValue(valuesOf(c.lits, DEFINITION_PREDICATES), lang) ?? c.definition) : c.definition,
    definitions: (c) => langStrings(c.lits, DEFINITION_PREDICATES),
    ontology: (c, _args, ctx) => (c.ontologyIri ? ctx.loaders.ontology.load(c.ontologyIri) : null),
    types: (c) => c.types,
    superClasses: (c, _args, ctx) => ctx.loaders.neighbours.load({ iri: c.iri, relation: 'superClasses' }),
    subClasses: (c, _args, ctx) => ctx.loaders.neighbours.load({ iri: c.iri, relation: 'subClasses' }),
    broader: (c, _args, ctx) => ctx.loaders.neighbours.load({ iri: c.iri, relation: 'broader' }),
    narrower: (c, _args, ctx) => ctx.loaders.neighbours.load({ iri: c.iri, relation: 'narrower' }),
    related: (c, _args, ctx) => ctx.loaders.neighbours.load({ iri: c.iri, relation: 'related' }),
    ancestors: (c, { maxDepth, relations }, ctx) =>
      ctx.loaders.hierarchy.load(hierarchyKey(c.iri, 'up', maxDepth, relations)),
    descendants: (c, { maxDepth, relations }, ctx) =>
      ctx.loaders.hierarchy.load(hierarchyKey(c.iri, 'down', maxDepth, relations)),
    relations: (c, _args, ctx) => ctx.loaders.relations.load(c.iri),
    annotations: (c) => annotationsOf(c.lits, c.refs),
    properties: (c, _args, ctx) => ctx.loaders.propertiesWithDomain.load(c.iri),
    instances: (c, { includeSubconcepts }, ctx) =>
      ctx.loaders.instances.load({ iri: c.iri, includeSubconcepts: includeSubconcepts ?? false }),
    datasets: async (c, { includeSubconcepts, via }, ctx) => {
      const rows = await ctx.loaders.holdings.load({
        iri: c.iri,
        includeSubconcepts: includeSubconcepts ?? false,
        via: (via ?? 'ANY') as LinkScope,
      });
      return (await readable(ctx, rows, (r) => r.dataset.urn)).map((r) => r.dataset);
    },
    columns: async (c, { includeSubconcepts }, ctx) =>
      readable(
        ctx,
        await ctx.loaders.columnsHolding.load({ iri: c.iri, includeSubconcepts: includeSubconcepts ?? false }),
        (col) => col.datasetUrn,
      ),
  },
  Property: {
    label: (p, { lang }) => (lang ? (pick(p.labels, lang) ?? p.label) : p.label),
    definition: (p, { lang }) =>
      lang
        ? (pick(fromAnnotations(p.annotations, DEFINITION_PREDICATES), lang) ?? p.definition ?? null)
        : (p.definition ?? null),
    ontology: (p, _args, ctx) => ontologyOfResource(p.iri, ctx),
  },
  Instance: {
    label: (i, { lang }) => (lang ? (pick(i.labels, lang) ?? i.label) : i.label),
    ontology: (i, _args, ctx) => ontologyOfResource(i.iri, ctx),
  },
  Dataset: {
    __resolveReference: (ref) => ({ urn: ref.urn }),
    // Entity fetches can come straight to this subgraph: never reveal a dataset's concepts to someone who may not read it.
    concepts: async (dataset, { includeColumns }, ctx) =>
      (await canRead(ctx, dataset.urn))
        ? ctx.loaders.datasetConcepts.load({ urn: dataset.urn, includeColumns: includeColumns ?? false })
        : [],
  },
  Column: {
    __resolveReference: (ref) => ({ datasetUrn: ref.datasetUrn, name: ref.name }),
    concept: async (column, _args, ctx) =>
      (await canRead(ctx, column.datasetUrn))
        ? ctx.loaders.columnConcept.load({ datasetUrn: column.datasetUrn, name: column.name })
        : null,
  },
};
