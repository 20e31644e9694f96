import type { Collection, Db, Filter } from 'mongodb';
import { CursorCodec } from '@dataos/subgraph-kit';
import type { Routing } from './routing.js';

export type QueryState = 'SUCCEEDED' | 'FAILED' | 'REFUSED';

/** One query run through the Gateway (results are never stored). */
export interface QueryDoc {
  _id: string;
  cluster: string;
  /** Heimdall subject id of who ran it. */
  subject: string;
  /** `query` (runQuery) or `preview` (Dataset.preview). */
  source: 'query' | 'preview';
  sql: string;
  /** What ran, the hashing secret hidden; null when refused before rewriting. */
  rewrittenSql: string | null;
  datasets: string[];
  policies: string[];
  state: QueryState;
  error: { code: string; message: string } | null;
  rows: number;
  offset: number;
  durationMs: number;
  startedAt: Date;
  finishedAt: Date;
  requestId: string | null;
  /** How the cluster was chosen (named, a cluster's selector, or the default) and why; absent on older records. */
  routing?: Routing | null;
}

export interface HistoryFilter {
  cluster?: string | null;
  subject?: string | null;
  state?: QueryState | null;
  source?: 'query' | 'preview' | null;
}

/** Not sealed: a position holds a start time and a query id, which the page shows anyway. */
const cursors = new CursorCodec();

interface Position {
  t: string;
  id: string;
}

const isPosition = (key: unknown): key is Position => {
  const p = key as Position | null;
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof p.id === 'string' &&
    typeof p.t === 'string' &&
    !Number.isNaN(Date.parse(p.t))
  );
};

/** The keyset position of a record: its start time, then its id. */
export const historyCursor = (doc: Pick<QueryDoc, 'startedAt' | '_id'>) =>
  cursors.encode('query-history', { t: doc.startedAt.toISOString(), id: doc._id });

/** Query history in MongoDB (`gateway.queries`): newest first, keyset pages. */
export class QueryHistory {
  readonly queries: Collection<QueryDoc>;

  constructor(db: Db) {
    this.queries = db.collection<QueryDoc>('queries');
  }

  async migrate(): Promise<void> {
    await this.queries.createIndex({ cluster: 1, startedAt: -1, _id: -1 });
    await this.queries.createIndex({ subject: 1, startedAt: -1, _id: -1 });
    await this.queries.createIndex({ startedAt: -1, _id: -1 });
  }

  async record(doc: QueryDoc): Promise<void> {
    await this.queries.insertOne(doc);
  }

  async get(id: string): Promise<QueryDoc | null> {
    return this.queries.findOne({ _id: id });
  }

  async page(
    filter: HistoryFilter,
    first: number,
    after?: string | null,
  ): Promise<{ items: QueryDoc[]; hasNextPage: boolean; endCursor: string | null }> {
    const query: Filter<QueryDoc> = {};
    if (filter.cluster) query.cluster = filter.cluster;
    if (filter.subject) query.subject = filter.subject;
    if (filter.state) query.state = filter.state;
    if (filter.source) query.source = filter.source;
    if (after) {
      const { t, id } = cursors.decode('query-history', after, { is: isPosition });
      const at = new Date(t);
      query.$or = [{ startedAt: { $lt: at } }, { startedAt: at, _id: { $lt: id } }];
    }
    const docs = await this.queries
      .find(query)
      .sort({ startedAt: -1, _id: -1 })
      .limit(first + 1)
      .toArray();
    const items = docs.slice(0, first);
    const last = items.at(-1);
    return {
      items,
      hasNextPage: docs.length > first,
      endCursor: last ? historyCursor(last) : null,
    };
  }
}
