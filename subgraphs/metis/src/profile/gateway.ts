/** The Gateway's GraphQL API, as much as profiling needs: `runQuery` and `explain`. */
export interface GatewayOptions {
  /** The Gateway's /graphql. */
  url: string;
  timeoutMs?: number;
  /** X-Service-Authorization when the Gateway requires service identity. */
  headers?: () => Promise<Record<string, string>>;
}

export interface QueryAnswer {
  /** The Minerva cluster that ran it (named, or the Gateway's routing). */
  cluster: string;
  columns: { name: string; type: string }[];
  rows: unknown[][];
}

/** Per dataset of a plan: the columns the caller reads masked, and whether row filters apply. */
export interface MaskPlan {
  dataset: string;
  masked: Set<string>;
  /** Row filters narrow what the caller reads: it sees only some of the rows. */
  filtered: boolean;
}

export class GatewayError extends Error {}

const RUN = `query MetisProfile($sql: String!, $cluster: ID) {
  runQuery(sql: $sql, cluster: $cluster, limit: 1) { cluster columns { name type } rows }
}`;
const EXPLAIN = `query MetisProfileMasks($sql: String!, $cluster: ID) {
  explain(sql: $sql, cluster: $cluster) { scans { dataset filters columns { name mask } } }
}`;

export class GatewayClient {
  constructor(private readonly options: GatewayOptions) {}

  /** Runs `sql` on `cluster`, or where the Gateway routes it (its selectors, then its default). */
  async runQuery(token: string, sql: string, cluster?: string | null): Promise<QueryAnswer> {
    const data = await this.call<{ runQuery: QueryAnswer }>(token, RUN, { sql, cluster: cluster ?? null });
    return data.runQuery;
  }

  /** The masks `token`'s holder gets when reading each dataset in `sql`. */
  async masks(token: string, sql: string, cluster?: string | null): Promise<MaskPlan[]> {
    const data = await this.call<{
      explain: {
        scans: { dataset: string; filters: string[]; columns: { name: string; mask: string | null }[] }[];
      };
    }>(token, EXPLAIN, { sql, cluster: cluster ?? null });
    return data.explain.scans.map((s) => ({
      dataset: s.dataset,
      masked: new Set(s.columns.filter((c) => c.mask !== null).map((c) => c.name)),
      filtered: s.filters.length > 0,
    }));
  }

  private async call<T>(token: string, query: string, variables: Record<string, unknown>): Promise<T> {
    const res = await fetch(this.options.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        ...(await this.options.headers?.()),
      },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
    });
    const body = (await res.json().catch(() => null)) as {
      data?: T | null;
      errors?: { message: string }[];
    } | null;
    if (body?.errors?.length) throw new GatewayError(body.errors.map((e) => e.message).join('; '));
    if (!res.ok || !body?.data) throw new GatewayError(`The Gateway answered HTTP ${res.status}.`);
    return body.data;
  }
}
