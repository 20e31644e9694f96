import type { SuggestionKind } from '../classification-rules.js';
import type { CatalogStore } from './catalog.js';
import type { CatalogWriter } from './writes.js';

export type SuggestionDecision = 'ACCEPTED' | 'REJECTED';

/** A steward's answer to a suggestion, kept so that it is not suggested again (whatever the answer). */
export interface SuggestionDecisionRecord {
  datasetUrn: string;
  column: string;
  kind: SuggestionKind;
  value: string;
  decision: SuggestionDecision;
  reason: string | null;
  by: string;
  at: string;
}

/** Decisions on the columns of these datasets (one round trip). */
export async function suggestionDecisions(
  store: CatalogStore,
  urns: readonly string[],
): Promise<Map<string, SuggestionDecisionRecord[]>> {
  const rows = await store.read<{ s: SuggestionDecisionRecord }>(
    `UNWIND $urns AS urn
     MATCH (s:SuggestionDecision {datasetUrn: urn})
     RETURN s {.datasetUrn, .column, .kind, .value, .decision, .reason, .by, at: toString(s.at)} AS s
     ORDER BY s.at DESC`,
    { urns },
  );
  const out = new Map<string, SuggestionDecisionRecord[]>();
  for (const { s } of rows) out.set(s.datasetUrn, [...(out.get(s.datasetUrn) ?? []), s]);
  return out;
}

/** Records (or replaces) the decision on one suggestion of one column. */
export async function recordSuggestionDecision(
  writer: CatalogWriter,
  d: Omit<SuggestionDecisionRecord, 'at'>,
  now = new Date(),
): Promise<void> {
  await writer.write((tx) =>
    tx.run(
      `MERGE (s:SuggestionDecision {datasetUrn: $d.datasetUrn, column: $d.column, kind: $d.kind, value: $d.value})
       SET s.decision = $d.decision, s.reason = $d.reason, s.by = $d.by, s.at = datetime($now)`,
      { d, now: now.toISOString() },
    ),
  );
}
