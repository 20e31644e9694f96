import DataLoader from 'dataloader';
import { badUserInput, notFound } from '@dataos/errors';
import { isAllowed, requireAllowed } from '@dataos/subgraph-kit';
import type { Context } from '../context.js';
import type { Resolvers } from '../generated/resolvers.js';
import { readDataset } from '../resolvers/access.js';
import { columnKey, type ColumnKey } from '../store/column-lineage.js';
import { assertDatasetDepot, objectPaths } from '../urn.js';
import type { ScanRunRecord } from './store.js';

/** The most runs one `scanRuns` answers. */
const MAX_RUNS = 100;

interface ColumnKeys {
  primaryKey: boolean;
  references: ColumnKey | null;
}

// Per request (the context object), so that answers never outlive the request's authorization.
const keyLoaders = new WeakMap<Context, DataLoader<ColumnKey, ColumnKeys, string>>();

function keysOf(ctx: Context): DataLoader<ColumnKey, ColumnKeys, string> {
  let loader = keyLoaders.get(ctx);
  if (!loader) {
    loader = new DataLoader(
      async (keys) => {
        const { records } = await ctx.scans.neo4j.driver.executeQuery(
          `UNWIND $keys AS k
           OPTIONAL MATCH (c:Column {datasetUrn: k.datasetUrn, name: k.name})
           RETURN c.primaryKey AS pk, c.referencesDataset AS ds, c.referencesColumn AS col`,
          { keys: keys.map((k) => ({ datasetUrn: k.datasetUrn, name: k.name })) },
          { database: ctx.scans.neo4j.database, routing: 'READ' },
        );
        return records.map((r) => {
          const ds = r.get('ds') as string | null;
          const col = r.get('col') as string | null;
          return {
            primaryKey: r.get('pk') === true,
            references: ds && col ? { datasetUrn: ds, name: col } : null,
          };
        });
      },
      { cacheKeyFn: columnKey },
    );
    keyLoaders.set(ctx, loader);
  }
  return loader;
}

const runParent = (r: ScanRunRecord) => r;

/** `first` of a runs list: 1 to MAX_RUNS, else BAD_USER_INPUT (the root field's rule). */
function runCount(first: number | null | undefined, fallback: number): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > MAX_RUNS)
    throw badUserInput(`first must be from 1 to ${MAX_RUNS}.`, { field: 'first' });
  return n;
}

// `Source.scanRuns` of every source of a request in one query per distinct `first` (a list page
// asks each source's last run): keys are `first` and the depot.
const runLoaders = new WeakMap<Context, DataLoader<{ depot: string; first: number }, ScanRunRecord[], string>>();

function runsOf(ctx: Context): DataLoader<{ depot: string; first: number }, ScanRunRecord[], string> {
  let loader = runLoaders.get(ctx);
  if (!loader) {
    loader = new DataLoader(
      async (keys) => {
        const byFirst = new Map<number, Map<string, ScanRunRecord[]>>();
        for (const first of new Set(keys.map((k) => k.first))) {
          const depots = keys.filter((k) => k.first === first).map((k) => k.depot);
          byFirst.set(first, await ctx.scans.store.runsOf(depots, first));
        }
        return keys.map((k) => byFirst.get(k.first)?.get(k.depot) ?? []);
      },
      { cacheKeyFn: (k) => `${k.first}:${k.depot}` },
    );
    runLoaders.set(ctx, loader);
  }
  return loader;
}

export const scanResolvers: Resolvers = {
  Query: {
    scanRuns: async (_root, { depot, first }, ctx) => {
      assertDatasetDepot(depot, 'depot');
      await requireAllowed(ctx, 'read', { path: objectPaths.depot(depot) }, { field: 'depot' });
      return (await ctx.scans.store.runs(depot, runCount(first, 10))).map(runParent);
    },
  },
  Mutation: {
    // Authorize, then validate (as every Metis write): whether a scan is configured is told only
    // to a caller who may write the depot.
    scanDepot: async (_root, { depot, wait }, ctx) => {
      assertDatasetDepot(depot, 'depot');
      await requireAllowed(ctx, 'write', { path: objectPaths.depot(depot) }, { field: 'depot' });
      const target = ctx.scans.service.target(depot);
      if (!target) throw notFound(`No scan is configured for depot "${depot}" (METIS_SCANS).`, { field: 'depot' });
      return runParent(await ctx.scans.service.run(target, 'ON_DEMAND', ctx.principal?.id ?? null, wait ?? false));
    },
  },
  // Both answer only to a reader of the depot, as `Query.scanRuns` and `Source.connection` do;
  // to anyone else the source looks unscanned (no error saying more than the root field does).
  Source: {
    scanSchedule: async (s, _args, ctx) => {
      const target = ctx.scans.service.target(s.name);
      if (!target || !(await isAllowed(ctx, 'read', { path: objectPaths.depot(s.name) }))) return null;
      // Only what the schedule is: never the URL, the catalog, the user or the password.
      return { type: target.type, everySeconds: target.everySeconds };
    },
    scanRuns: async (s, { first }, ctx) => {
      if (!(await isAllowed(ctx, 'read', { path: objectPaths.depot(s.name) }))) return [];
      return (await runsOf(ctx).load({ depot: s.name, first: runCount(first, 5) })).map(runParent);
    },
  },
  Column: {
    primaryKey: async (c, _args, ctx) => (await keysOf(ctx).load(c)).primaryKey,
    references: async (c, _args, ctx) => {
      const ref = (await keysOf(ctx).load(c)).references;
      if (!ref) return null;
      // The referenced column is shown only as `Query.column` would show it: its dataset readable.
      if (!(await readDataset(ctx, ref.datasetUrn))) return null;
      return (await ctx.loaders.columns.load(ref.datasetUrn)).find((x) => x.name === ref.name) ?? null;
    },
  },
};
