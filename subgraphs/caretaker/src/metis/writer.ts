import { setTimeout as sleep } from 'node:timers/promises';
import type { MetisResource } from './resources.js';

export type UpsertOutcome = { urn: string; ok: true } | { urn: string; ok: false; code: string; message: string };

export interface MetisWriterOptions {
  /** Metis's /graphql (METIS_URL). */
  url: string;
  /** Caretaker's own access token (client_credentials): Metis and Heimdall see the service principal. */
  token: () => Promise<string>;
  /** More headers per request: X-Service-Authorization when Metis requires service identity. */
  headers?: () => Promise<Record<string, string>>;
  /** Per request (5 s). */
  timeoutMs?: number;
  /** Attempts after the first when Metis cannot be reached or answers 5xx/429 (3). */
  retries?: number;
  /** First pause between attempts, doubled each time (500 ms). */
  backoffMs?: number;
}

/** Aliased mutation fields per request: the subgraph kit allows at most 20 root fields per operation. */
export const MAX_PER_REQUEST = 20;

/** Top-level error codes worth another attempt (Metis or its Heimdall briefly away). */
const RETRYABLE = new Set(['SERVICE_UNAVAILABLE', 'INTERNAL_SERVER_ERROR']);

class Retryable extends Error {}
const NOT_RUN = Symbol('not run');

interface Answer {
  data?: Record<string, { urn: string } | null> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

/**
 * Writes resources to Metis through its public API: one request of aliased `upsertResource`
 * fields per batch (idempotent upserts, so a retried request does no harm), with retries and
 * backoff when Metis cannot answer. A refusal of one resource (FORBIDDEN, BAD_USER_INPUT) is that
 * resource's outcome, not a reason to retry. `upsertResource` is non-null, so one refusal nulls
 * the whole answer and stops the fields after it (mutation fields run in order): those that
 * carry no error of their own are sent again without the refused ones, so one bad resource never
 * holds back its batch (at most one more request per refusal).
 */
export class MetisResourceWriter {
  constructor(private readonly options: MetisWriterOptions) {}

  async upsert(resources: readonly MetisResource[]): Promise<UpsertOutcome[]> {
    if (resources.length > MAX_PER_REQUEST) throw new Error(`at most ${MAX_PER_REQUEST} resources per request`);
    const decided = new Map<string, UpsertOutcome>();
    let pending = resources;
    while (pending.length) {
      const round = await this.send(pending);
      const undecided = pending.filter((_, i) => round[i] === NOT_RUN);
      round.forEach((o) => o !== NOT_RUN && decided.set(o.urn, o));
      if (undecided.length === pending.length) {
        for (const r of undecided)
          decided.set(r.urn, { urn: r.urn, ok: false, code: 'UNKNOWN', message: 'Metis answered no result for it' });
        break;
      }
      pending = undecided;
    }
    return resources.map((r) => decided.get(r.urn)!);
  }

  /** One request (with its retries): an outcome per resource, NOT_RUN for fields Metis did not reach. */
  private async send(resources: readonly MetisResource[]): Promise<(UpsertOutcome | typeof NOT_RUN)[]> {
    const variables = Object.fromEntries(resources.map((r, i) => [`r${i}`, r.input]));
    const query = `mutation CaretakerResources(${resources.map((_, i) => `$r${i}: ResourceInput!`).join(', ')}) {\n${resources
      .map((_, i) => `  r${i}: upsertResource(input: $r${i}) { urn }`)
      .join('\n')}\n}`;
    const retries = this.options.retries ?? 3;
    for (let attempt = 0; ; attempt++) {
      try {
        return this.outcomes(resources, await this.post(query, variables));
      } catch (error) {
        if (!(error instanceof Retryable) || attempt >= retries) {
          const message = (error as Error).message;
          return resources.map((r) => ({ urn: r.urn, ok: false, code: 'SERVICE_UNAVAILABLE', message }));
        }
        await sleep((this.options.backoffMs ?? 500) * 2 ** attempt);
      }
    }
  }

  private async post(query: string, variables: Record<string, unknown>): Promise<Answer> {
    let res: Response;
    try {
      res = await fetch(this.options.url, {
        method: 'POST',
        headers: {
          ...(await this.options.headers?.()),
          'content-type': 'application/json',
          authorization: `Bearer ${await this.options.token()}`,
        },
        body: JSON.stringify({ query, variables, operationName: 'CaretakerResources' }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
    } catch (error) {
      throw new Retryable(`Metis could not be reached: ${(error as Error).message}`);
    }
    if (res.status >= 500 || res.status === 429) throw new Retryable(`Metis answered HTTP ${res.status}`);
    const answer = (await res.json().catch(() => null)) as Answer | null;
    if (!answer) throw new Retryable(`Metis answered HTTP ${res.status} without a GraphQL body`);
    const global = answer.errors?.find((e) => !e.path?.length);
    if (global && RETRYABLE.has(global.extensions?.code ?? '')) throw new Retryable(global.message);
    return answer;
  }

  private outcomes(resources: readonly MetisResource[], answer: Answer): (UpsertOutcome | typeof NOT_RUN)[] {
    const global = answer.errors?.find((e) => !e.path?.length);
    return resources.map((r, i) => {
      const alias = `r${i}`;
      if (answer.data?.[alias]) return { urn: r.urn, ok: true };
      const error = answer.errors?.find((e) => e.path?.[0] === alias) ?? global;
      if (!error) return NOT_RUN;
      return { urn: r.urn, ok: false, code: error.extensions?.code ?? 'UNKNOWN', message: error.message };
    });
  }
}
