import type { JsonValue } from '../sql/ast.js';
import { protectNumbers } from '../sql/numbers.js';

/**
 * Trino's client protocol (POST /v1/statement, then follow `nextUri`; DELETE it to cancel), with
 * headers chosen per query. Not `trino-client`: it parses answers with JSON.parse, so a bigint
 * beyond 2^53 came back rounded (9007199254740993 as ...992), and it keeps one set of headers per
 * client that every answer rewrites, shared by concurrent queries of different users.
 */
export interface StatementAnswer {
  id: string;
  nextUri?: string;
  columns?: { name: string; type: string }[];
  data?: JsonValue[][];
  error?: { errorName: string; message: string };
  stats?: { progressPercentage?: number; processedRows?: number };
}

/** Numbers a JS number cannot hold stay text (64-bit integers); other protected numbers become numbers again. */
function restore(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(restore);
  if (typeof value !== 'object' || value === null) return value;
  const marker = (value as { $num?: unknown }).$num;
  if (typeof marker === 'string') {
    const n = Number(marker);
    return /^-?\d+$/.test(marker) && !Number.isSafeInteger(n) ? marker : n;
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, restore(v)]));
}

export const parseAnswer = (text: string): StatementAnswer =>
  restore(JSON.parse(protectNumbers(text))) as StatementAnswer;

export class TrinoProtocol {
  constructor(
    private readonly endpoint: string,
    /** Sent with every request: authorization, source. */
    private readonly baseHeaders: Record<string, string>,
  ) {}

  private async call(url: string, init: RequestInit, deadline: number): Promise<StatementAnswer> {
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('Trino did not answer in time');
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(left) });
      // The protocol asks clients to retry these.
      if ([502, 503, 504].includes(res.status)) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      const text = await res.text();
      if (!res.ok) throw new Error(`Trino answered HTTP ${res.status}: ${text.slice(0, 200)}`);
      return parseAnswer(text);
    }
  }

  start(sql: string, headers: Record<string, string>, deadline: number): Promise<StatementAnswer> {
    return this.call(
      new URL('/v1/statement', this.endpoint).toString(),
      { method: 'POST', headers: { ...this.baseHeaders, ...headers }, body: sql },
      deadline,
    );
  }

  next(uri: string, deadline: number): Promise<StatementAnswer> {
    return this.call(uri, { headers: this.baseHeaders }, deadline);
  }

  /** Cancels through the query's own next URI (allowed to whoever runs it). */
  async cancel(uri: string): Promise<void> {
    await fetch(uri, { method: 'DELETE', headers: this.baseHeaders, signal: AbortSignal.timeout(5000) });
  }
}
