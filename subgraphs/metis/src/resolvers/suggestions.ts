import { badUserInput, notFound } from '@dataos/errors';
import { datasetObject, isAllowed, requirePrincipal } from '@dataos/subgraph-kit';
import { suggestClassifications, type RuleSuggestion } from '../classification-rules.js';
import type { Context } from '../context.js';
import type { DatasetResolvers, MutationResolvers, SuggestionDecisionInput } from '../generated/resolvers.js';
import type { ColumnRecord } from '../store/records.js';
import {
  recordSuggestionDecision,
  type SuggestionDecision,
  type SuggestionDecisionRecord,
} from '../store/suggestions.js';
import { assertUrn } from '../urn.js';
import { columnName, text } from '../validate.js';
import { forgetDataset, writableDataset } from './access.js';

const MAX_REASON = 1000;
const decisionKey = (column: string, kind: string, value: string) => `${column}\u0000${kind}\u0000${value}`;

/** A profile's min and max are the values Metis keeps of a column: the rules' samples. */
const samplesOf = (c: ColumnRecord) =>
  [c.profile?.min, c.profile?.max].filter((v): v is string => typeof v === 'string');

/** The suggestions still open for the columns without tags (decided ones are never shown again). */
function openSuggestions(
  columns: readonly ColumnRecord[],
  decisions: readonly SuggestionDecisionRecord[],
): (RuleSuggestion & { column: ColumnRecord })[] {
  const decided = new Set(decisions.map((d) => decisionKey(d.column, d.kind, d.value)));
  return columns
    .filter((c) => c.tags.length === 0)
    .flatMap((c) =>
      suggestClassifications(c.name, c.type, samplesOf(c))
        .filter((s) => !decided.has(decisionKey(c.name, s.kind, s.value)))
        .map((s) => ({ ...s, column: c })),
    );
}

export const suggestionFields: Pick<DatasetResolvers, 'classificationSuggestions'> = {
  // Stewards only: a reader learns nothing from what rules think of the values.
  classificationSuggestions: async (d, _args, ctx) => {
    if (!(await isAllowed(ctx, 'write', datasetObject(d, d.domainName)))) return [];
    const [columns, decisions] = await Promise.all([
      ctx.loaders.columns.load(d.urn),
      ctx.loaders.suggestionDecisions.load(d.urn),
    ]);
    return openSuggestions(columns, decisions);
  },
};

/** Authorize (the dataset's write), then check that it is a suggestion still open, then record. */
async function decide(ctx: Context, input: SuggestionDecisionInput, decision: SuggestionDecision) {
  const by = requirePrincipal(ctx).id;
  const urn = assertUrn(input.urn, 'input.urn');
  await writableDataset(ctx, urn, 'input.urn');
  const name = columnName(input.column, 'input.column');
  const reason = input.reason == null ? null : text(input.reason, 'input.reason', MAX_REASON);
  const columns = await ctx.loaders.columns.load(urn);
  const column = columns.find((c) => c.name === name);
  if (!column) throw notFound(`Dataset "${urn}" has no column "${name}".`, { field: 'input.column' });
  const open = openSuggestions([column], await ctx.loaders.suggestionDecisions.load(urn));
  if (!open.some((s) => s.kind === input.kind && s.value === input.value)) {
    throw badUserInput(
      `${input.kind} "${input.value.slice(0, 128)}" is not an open suggestion for column "${name}" (it has tags, was decided already, or no rule proposes it).`,
      { field: 'input.value' },
    );
  }
  if (decision === 'ACCEPTED' && input.kind === 'TAG') {
    await ctx.writer.tag(
      urn,
      name,
      [input.value],
      [],
      { columns: [{ datasetUrn: urn, name, field: 'input.column' }] },
      by,
    );
  }
  await recordSuggestionDecision(ctx.writer, {
    datasetUrn: urn,
    column: name,
    kind: input.kind,
    value: input.value,
    decision,
    reason,
    by,
  });
  forgetDataset(ctx, urn);
  ctx.loaders.suggestionDecisions.clear(urn);
  const d = await ctx.loaders.dataset.load(urn);
  if (!d) throw notFound(`Unknown dataset "${urn}".`, { field: 'input.urn' });
  return d;
}

export const suggestionMutations: Pick<
  MutationResolvers,
  'acceptClassificationSuggestion' | 'rejectClassificationSuggestion'
> = {
  acceptClassificationSuggestion: (_root, { input }, ctx) => decide(ctx, input, 'ACCEPTED'),
  rejectClassificationSuggestion: (_root, { input }, ctx) => decide(ctx, input, 'REJECTED'),
};
