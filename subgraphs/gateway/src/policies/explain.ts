import type { Classification, ColumnPlan, MaskReason } from './resolve.js';

const describe = (c: Classification): string => {
  const what = c.kind === 'tag' ? `tag ${c.value}` : `concept ${c.label ? `"${c.label}" ` : ''}<${c.value}>`;
  const via = c.kind === 'concept' && c.distance ? ` (${c.distance} level(s) above its linked concept)` : '';
  const from = c.propagated
    ? `, propagated from ${c.source ?? 'an upstream column'} by column lineage (${(c.path ?? []).join(' → ')})`
    : '';
  return `${what}${via}${from}`;
};

const selectedBy = (r: MaskReason): string => {
  switch (r.selectedBy) {
    case 'name':
      return `its name matches ${r.matched}`;
    case 'tag':
    case 'concept':
      return `it holds ${r.classification ? describe(r.classification) : r.matched}`;
    case 'concepts_unknown':
      return 'Odin could not say which concepts it holds, so every concept mask applies (fail closed)';
  }
};

/** One sentence: which policy, which tag or concept (own or propagated, with its path), which Heimdall tags. */
export function explainMask(column: ColumnPlan): string | null {
  const m = column.mask;
  if (!m) return null;
  const action =
    m.spec.operator === 'pass_through' ? 'shown in clear (an exemption)' : `masked (${m.spec.operator.toUpperCase()})`;
  const who = m.reason.subjectTags.length
    ? `your Heimdall tag(s) ${m.reason.subjectTags.join(', ')}`
    : 'your Heimdall tags';
  return `${column.name} is ${action} by policy ${m.policy} (priority ${m.priority}) because ${selectedBy(m.reason)}; the policy applies to ${who}.`;
}
