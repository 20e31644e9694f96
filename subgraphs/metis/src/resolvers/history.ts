import { badUserInput, notFound } from '@dataos/errors';
import type { DatasetResolvers } from '../generated/resolvers.js';
import { schemaDiff } from '../schema-diff.js';
import { versionCounts, versionPages, versionsByNumber, type VersionRecord } from '../store/versions.js';
import { pageSize } from '../validate.js';
import { countLater } from './counts.js';

const versionParent = (v: VersionRecord, previous: VersionRecord | null) => ({
  number: v.number,
  createdAt: v.createdAt,
  author: v.author,
  description: v.description,
  tags: v.tags,
  columns: v.columns,
  changes: schemaDiff(previous, v),
});

function versionNumber(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 1)
    throw badUserInput(`${field} must be a version number (1 or more).`, {
      field,
    });
  return value;
}

/**
 * `Dataset.versions`, `version` and `diff`. The dataset is readable already (its parent resolved),
 * and its versions are its own: no further decision.
 */
export const datasetHistory: Pick<DatasetResolvers, 'versions' | 'version' | 'diff'> = {
  versions: async (d, { first, after }, ctx) => {
    const size = pageSize(first);
    const before = after ? ctx.cursors.decode<number>('version', after) : null;
    if (before !== null && (!Number.isInteger(before) || before < 1))
      throw badUserInput('The cursor is not valid here.', { field: 'after' });
    // One more than the page: it tells whether a page follows, and is the last one's previous.
    const [rows] = await versionPages(ctx.store, [{ urn: d.urn, before }], size + 1);
    const page = rows!.slice(0, size);
    const last = page.at(-1);
    return {
      edges: page.map((v, i) => ({
        cursor: ctx.cursors.encode('version', v.number),
        node: versionParent(v, rows![i + 1] ?? null),
      })),
      pageInfo: {
        hasNextPage: rows!.length > size,
        endCursor: last ? ctx.cursors.encode('version', last.number) : null,
      },
      totalCount: countLater(async () => (await versionCounts(ctx.store, [d.urn]))[0]!),
    };
  },
  version: async (d, { number }, ctx) => {
    const n = versionNumber(number, 'number');
    const [v, previous] = await versionsByNumber(ctx.store, [
      { urn: d.urn, number: n },
      { urn: d.urn, number: n - 1 },
    ]);
    return v ? versionParent(v, previous ?? null) : null;
  },
  diff: async (d, { from, to }, ctx) => {
    const [a, b] = await versionsByNumber(ctx.store, [
      { urn: d.urn, number: versionNumber(from, 'from') },
      { urn: d.urn, number: versionNumber(to, 'to') },
    ]);
    if (!a) throw notFound(`Dataset ${d.urn} has no version ${from}.`, { field: 'from' });
    if (!b) throw notFound(`Dataset ${d.urn} has no version ${to}.`, { field: 'to' });
    return schemaDiff(a, b);
  },
};
