/** The Gateway's GraphQL API, as much as profiling needs: `runQuery` and `explain`. */
export interface GatewayOptions {
  /** The Gateway's /graphql. */
  url: string;
  timeoutMs?: number;
  /** X-Service-Authorization when the Gateway requires service identity. */
  headers?: () => Promise<Record<string, string>>;
}

export interface QueryAnswer {
  columns: { name: string; type: string }[];
  rows: unknown[][];
}

/** Per dataset of a plan: the columns the caller reads masked. */
export interface MaskPlan {
  dataset: string;
  masked: Set<string>;
}

export class GatewayError extends Error {}

const RUN = `query MetisProfile($sql: String!) { runQuery(sql: $sql, limit: 1) { columns { name type } rows } }`;
const EXPLAIN = `query MetisProfileMasks($sql: String!) { explain(sql: $sql) { scans { dataset columns { name mask } } } }`;

export class GatewayClient {
  constructor(private readonly options: GatewayOptions) {}

  async runQuery(token: string, sql: string): Promise<QueryAnswer> {
    const data = await this.call<{ runQuery: QueryAnswer }>(token, RUN, { sql });
    return data.runQuery;
  }

  /** The masks `token`'s holder gets when reading each dataset in `sql`. */
  async masks(token: string, sql: string): Promise<MaskPlan[]> {
    const data = await this.call<{
      explain: { scans: { dataset: string; columns: { name: string; mask: string | null }[] }[] };
    }>(token, EXPLAIN, { sql });
    return data.explain.scans.map((s) => ({
      dataset: s.dataset,
      masked: new Set(s.columns.filter((c) => c.mask !== null).map((c) => c.name)),
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
