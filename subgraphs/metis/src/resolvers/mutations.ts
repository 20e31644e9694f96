import { badUserInput, notFound } from '@dataos/errors';
import { datasetObject } from '@dataos/subgraph-kit';
import type { WriteCheck } from '../dataset-access.js';
import type { Resolvers } from '../generated/resolvers.js';
import type { DatasetRecord } from '../store/records.js';
import type { Refs } from '../store/inputs.js';
import { assertUrn, objectPaths, resourceUrn } from '../urn.js';
import {
  columnName,
  domainName,
  glossaryTermInput,
  ingestInput,
  ingestTargets,
  lineageInput,
  owners as ownersOf,
  resourceInput,
  resourceTarget,
  runInput,
  tags as tagsOf,
  termName,
  text,
  LIMITS,
} from '../validate.js';
import {
  domainParent,
  forgetDataset,
  readDataset,
  readResource,
  resourceParent,
  runParent,
  sourceParent,
  termParent,
  writableDataset,
} from './access.js';
import { declassifyMutations } from './declassify.js';
import { lifecycleMutations } from './lifecycle.js';
import { suggestionMutations } from './suggestions.js';

/** Who a version is recorded for: the caller's Heimdall subject id. */
const author = (ctx: Parameters<typeof readDataset>[0]) => ctx.principal?.id ?? null;

const columnRef = (datasetUrn: string, name: string, field: string) => ({ datasetUrn, name, field });

async function reload(ctx: Parameters<typeof readDataset>[0], urn: string): Promise<DatasetRecord> {
  forgetDataset(ctx, urn);
  const d = await ctx.loaders.dataset.load(urn);
  if (!d) throw notFound(`Unknown dataset "${urn}".`, { field: 'input.urn' });
  return d;
}

/**
 * Every mutation authorizes, then validates (as Caretaker does): a caller who may not write gets
 * NOT_FOUND or FORBIDDEN whatever else is wrong with the input, learns nothing from validation
 * errors, and nothing is written. Only what names the objects Heimdall is asked about (URNs, names,
 * and the tags and domain a dataset is decided with) is checked before: a function of the caller's
 * own text, it tells nothing about the catalog, and it keeps what Heimdall decides and logs to
 * well-formed names of bounded size.
 */
export const mutationResolvers: Resolvers = {
  Mutation: {
    ...lifecycleMutations,
    ...declassifyMutations,
    ...suggestionMutations,
    ingest: async (_root, { input }, ctx) => {
      const targets = ingestTargets(input);
      const [existing, existingSource] = await Promise.all([
        ctx.loaders.dataset.loadMany(targets.datasets.map((d) => d.urn)),
        ctx.loaders.source.load(targets.source),
      ]);
      const found = existing.map((d) => (d instanceof Error ? null : (d ?? null)));
      const readable = new Set(
        await ctx.access.readable(
          found.filter((d): d is DatasetRecord => d !== null),
          (d) => d,
        ),
      );
      // A dataset the caller may not read does not exist for them: it is checked exactly as a new
      // one would be (so FORBIDDEN, success or NOT_FOUND never depend on whether it exists), and
      // if that check passes the answer is NOT_FOUND, never an overwrite.
      const hidden: number[] = [];
      const checks: WriteCheck[] = [];
      targets.datasets.forEach((d, i) => {
        const stored = found[i] ?? null;
        const old = stored && readable.has(stored) ? stored : null;
        if (stored && !old) hidden.push(i);
        const field = `input.datasets[${i}].urn`;
        const next = { urn: d.urn, tags: d.tags ?? old?.tags ?? [] };
        checks.push({
          object: datasetObject(next, d.domain !== undefined ? d.domain : (old?.domainName ?? null)),
          field,
        });
        if (old) checks.push({ object: datasetObject(old, old.domainName), field });
      });
      if (!existingSource || targets.sourceDetails) {
        checks.push({ object: { path: objectPaths.depot(targets.source) }, field: 'input.source.name' });
      }
      await ctx.access.requireWrites(checks);
      const first = hidden[0];
      if (first !== undefined)
        throw notFound(`Unknown dataset "${targets.datasets[first]!.urn}".`, { field: `input.datasets[${first}].urn` });
      const { source, datasets, refs } = ingestInput(input, targets);
      const counts = await ctx.writer.ingest(source, datasets, refs, author(ctx));
      for (const d of datasets) forgetDataset(ctx, d.urn);
      ctx.loaders.source.clear(source.name);
      const saved = await ctx.loaders.source.load(source.name);
      return { ...counts, urns: datasets.map((d) => d.urn), source: sourceParent(saved!) };
    },

    describe: async (_root, { input }, ctx) => {
      const urn = assertUrn(input.urn, 'input.urn');
      await writableDataset(ctx, urn, 'input.urn');
      const description =
        'description' in input
          ? input.description == null
            ? null
            : text(input.description, 'input.description', LIMITS.text)
          : undefined;
      const columns = (input.columns ?? []).map((c, i) => ({
        name: columnName(c.name, `input.columns[${i}].name`),
        description: c.description == null ? null : text(c.description, `input.columns[${i}].description`, LIMITS.text),
      }));
      const refs: Refs = { columns: columns.map((c, i) => columnRef(urn, c.name, `input.columns[${i}].name`)) };
      await ctx.writer.describe(urn, description, columns, refs, author(ctx));
      return reload(ctx, urn);
    },

    tag: async (_root, { input }, ctx) => {
      const urn = assertUrn(input.urn, 'input.urn');
      const add = tagsOf(input.add ?? [], 'input.add');
      const remove = tagsOf(input.remove ?? [], 'input.remove');
      const current = await readDataset(ctx, urn);
      const extra: WriteCheck[] = [];
      if (current && input.column == null) {
        // Allowed to write the dataset both as it is and as it will be.
        const kept = current.tags.filter((t) => !remove.includes(t));
        const next = [...kept, ...add.filter((t) => !kept.includes(t))];
        extra.push({ object: datasetObject({ urn: current.urn, tags: next }, current.domainName), field: 'input.add' });
      }
      await writableDataset(ctx, urn, 'input.urn', extra);
      if (!add.length && !remove.length) throw badUserInput('Give tags to add or remove.', { field: 'input.add' });
      const column = input.column == null ? null : columnName(input.column, 'input.column');
      const refs: Refs = column ? { columns: [columnRef(urn, column, 'input.column')] } : {};
      await ctx.writer.tag(urn, column, add, remove, refs, author(ctx));
      return reload(ctx, urn);
    },

    setOwners: async (_root, { urn, owners }, ctx) => {
      assertUrn(urn, 'urn');
      await writableDataset(ctx, urn, 'urn');
      const list = ownersOf(owners, 'owners');
      await ctx.writer.setOwners(urn, list);
      return reload(ctx, urn);
    },

    setGlossaryTerms: async (_root, { input }, ctx) => {
      const urn = assertUrn(input.urn, 'input.urn');
      await writableDataset(ctx, urn, 'input.urn');
      const column = input.column == null ? null : columnName(input.column, 'input.column');
      if (input.terms.length > LIMITS.terms)
        throw badUserInput(`At most ${LIMITS.terms} terms.`, { field: 'input.terms' });
      const terms = [...new Set(input.terms.map((t, i) => termName(t, `input.terms[${i}]`)))];
      const refs: Refs = {
        terms: terms.map((name, i) => ({ name, field: `input.terms[${i}]` })),
        columns: column ? [columnRef(urn, column, 'input.column')] : [],
      };
      await ctx.writer.setGlossaryTerms(urn, column, terms, refs);
      return reload(ctx, urn);
    },

    addLineage: async (_root, { input }, ctx) => {
      const upstreamUrn = assertUrn(input.upstream, 'input.upstream');
      const downstreamUrn = assertUrn(input.downstream, 'input.downstream');
      const upstream = await readDataset(ctx, upstreamUrn);
      if (!upstream) throw notFound(`Unknown dataset "${upstreamUrn}".`, { field: 'input.upstream' });
      const downstream = await writableDataset(ctx, downstreamUrn, 'input.downstream');
      const edge = lineageInput(input);
      const via = edge.via ? await readResource(ctx, edge.via) : null;
      if (edge.via && !via) throw notFound(`Unknown resource "${edge.via}".`, { field: 'input.via' });
      const refs: Refs = {
        datasets: [{ urn: edge.upstream, field: 'input.upstream' }],
        resources: via ? [{ urn: via.urn, field: 'input.via' }] : [],
        columns: edge.columns.flatMap((c, i) => [
          columnRef(edge.upstream, c.upstream, `input.columns[${i}].upstream`),
          columnRef(edge.downstream, c.downstream, `input.columns[${i}].downstream`),
        ]),
      };
      await ctx.writer.addLineage([edge], refs);
      const columns = await ctx.loaders.columns.loadMany([edge.upstream, edge.downstream]);
      const [ups, downs] = columns.map((l) => (Array.isArray(l) ? l : []));
      return {
        upstreamUrn: upstream.urn,
        downstreamUrn: downstream.urn,
        upstream,
        downstream,
        viaUrn: via?.urn ?? null,
        via: via && resourceParent(via),
        job: edge.job,
        columns: edge.columns.map((c) => ({
          upstream: ups!.find((x) => x.name === c.upstream)!,
          downstream: downs!.find((x) => x.name === c.downstream)!,
          transformation: c.transformation,
        })),
      };
    },

    recordRun: async (_root, { input }, ctx) => {
      await writableDataset(ctx, assertUrn(input.datasetUrn, 'input.datasetUrn'), 'input.datasetUrn');
      const run = runInput(input);
      if (run.resourceUrn && !(await readResource(ctx, run.resourceUrn))) {
        throw notFound(`Unknown resource "${run.resourceUrn}".`, { field: 'input.resourceUrn' });
      }
      const refs: Refs = {
        resources: run.resourceUrn ? [{ urn: run.resourceUrn, field: 'input.resourceUrn' }] : [],
        columns: run.columnProfiles.map((p, i) => columnRef(run.datasetUrn, p.name, `input.columnProfiles[${i}].name`)),
      };
      // Re-recording a run is idempotent but never moves it to another dataset: checked inside the
      // write transaction (see CatalogWriter.recordRun).
      const id = await ctx.writer.recordRun(run, refs);
      forgetDataset(ctx, run.datasetUrn);
      ctx.loaders.run.clear(id);
      const saved = await ctx.loaders.run.load(id);
      return runParent(saved!);
    },

    upsertResource: async (_root, { input }, ctx) => {
      const target = resourceTarget(input);
      const urn = resourceUrn(target.kind, target.workspace, target.name);
      await ctx.access.requireWrites([{ object: { path: objectPaths.resource(urn) }, field: 'input.name' }]);
      const resource = resourceInput(input, target);
      await ctx.writer.upsertResource(resource);
      ctx.loaders.resource.clear(urn);
      return resourceParent((await ctx.loaders.resource.load(urn))!);
    },

    upsertGlossaryTerm: async (_root, { input }, ctx) => {
      const name = termName(input.name, 'input.name');
      await ctx.access.requireWrites([{ object: { path: objectPaths.glossaryTerm(name) }, field: 'input.name' }]);
      const { term, refs } = glossaryTermInput(input);
      await ctx.writer.upsertGlossaryTerm(term, refs);
      ctx.loaders.term.clear(term.name);
      return termParent((await ctx.loaders.term.load(term.name))!);
    },

    upsertDomain: async (_root, { input }, ctx) => {
      const name = domainName(input.name, 'input.name');
      await ctx.access.requireWrites([{ object: { path: objectPaths.domain(name) }, field: 'input.name' }]);
      const description =
        'description' in input
          ? input.description == null
            ? null
            : text(input.description, 'input.description', LIMITS.text)
          : undefined;
      await ctx.writer.upsertDomain(name, description);
      ctx.loaders.domain.clear(name);
      return domainParent((await ctx.loaders.domain.load(name))!);
    },
  },
};
