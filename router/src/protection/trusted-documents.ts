import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

interface PersistedQueryManifest {
  format: 'apollo-persisted-query-manifest';
  operations: { id: string; body: string }[];
}

export type TrustedResolution = { ok: true; query: string | undefined } | { ok: false; message: string };

/**
 * The operations a trusted-documents router runs: a manifest `{ "<sha256 of the query>": "<query>" }`
 * (Apollo's `apollo-persisted-query-manifest` format is read too). A request sends the query,
 * or only its hash in `extensions.persistedQuery.sha256Hash`; anything not listed is refused.
 */
export class TrustedDocuments {
  constructor(private readonly byHash: ReadonlyMap<string, string>) {}

  get size(): number {
    return this.byHash.size;
  }

  static parse(json: string): TrustedDocuments {
    const manifest = JSON.parse(json) as Record<string, unknown> | PersistedQueryManifest;
    const entries: [string, string][] =
      manifest && (manifest as PersistedQueryManifest).format === 'apollo-persisted-query-manifest'
        ? (manifest as PersistedQueryManifest).operations.map((o) => [o.id, o.body])
        : Object.entries(manifest).map(([hash, query]) => {
            if (typeof query !== 'string') throw new Error(`trusted document ${hash} is not a string`);
            return [hash, query];
          });
    const byHash = new Map<string, string>();
    for (const [hash, query] of entries) {
      const actual = sha256(query);
      if (actual !== hash.toLowerCase()) {
        throw new Error(`trusted document ${hash} does not match its query (sha256 ${actual})`);
      }
      byHash.set(actual, query);
    }
    return new TrustedDocuments(byHash);
  }

  static async load(path: string): Promise<TrustedDocuments> {
    return TrustedDocuments.parse(await readFile(path, 'utf8'));
  }

  /**
   * The query to run for a request (the listed one when only a hash was sent), or why it may not run.
   * A request with neither a query nor a hash is left to Apollo Server to refuse.
   */
  resolve(query: unknown, extensions: unknown): TrustedResolution {
    if (typeof query === 'string' && query.length > 0) {
      return this.byHash.has(sha256(query))
        ? { ok: true, query: undefined }
        : { ok: false, message: 'This operation is not in the list of trusted documents.' };
    }
    const hash = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
    if (typeof hash !== 'string') return { ok: true, query: undefined };
    const listed = this.byHash.get(hash.toLowerCase());
    return listed !== undefined
      ? { ok: true, query: listed }
      : { ok: false, message: `No trusted document has the hash ${hash.slice(0, 80)}.` };
  }
}

/**
 * Trusted-documents mode for one HTTP request (POST body, or GET search string): refuses an
 * operation not listed, and fills in the query of one sent by hash alone.
 */
export function trustRequest(
  trusted: TrustedDocuments,
  body: unknown,
  search: string,
): { ok: true; search: string } | { ok: false; message: string } {
  if (Array.isArray(body)) return { ok: true, search }; // batches: Apollo Server refuses them
  let query: unknown;
  let extensions: unknown;
  const params = body === undefined ? new URLSearchParams(search) : undefined;
  if (params) {
    query = params.get('query') ?? undefined;
    try {
      extensions = params.has('extensions') ? JSON.parse(params.get('extensions')!) : undefined;
    } catch {
      extensions = undefined;
    }
  } else if (body && typeof body === 'object') {
    ({ query, extensions } = body as { query?: unknown; extensions?: unknown });
  }
  const resolution = trusted.resolve(query, extensions);
  if (!resolution.ok) return resolution;
  // The manifest answered for the hash: Apollo Server must not see `persistedQuery` (without
  // APQ it refuses any request carrying one with PERSISTED_QUERY_NOT_SUPPORTED).
  const rest = withoutPersistedQuery(extensions);
  if (params) {
    if (resolution.query !== undefined) params.set('query', resolution.query);
    if (rest !== extensions) {
      if (rest === undefined) params.delete('extensions');
      else params.set('extensions', JSON.stringify(rest));
    }
    return resolution.query === undefined && rest === extensions
      ? { ok: true, search }
      : { ok: true, search: `?${params.toString()}` };
  }
  const request = body as { query?: string; extensions?: unknown };
  if (resolution.query !== undefined) request.query = resolution.query;
  if (rest !== extensions) {
    if (rest === undefined) delete request.extensions;
    else request.extensions = rest;
  }
  return { ok: true, search };
}

/** `extensions` without `persistedQuery` (undefined when nothing is left); the same object when it has none. */
function withoutPersistedQuery(extensions: unknown): unknown {
  if (!extensions || typeof extensions !== 'object' || !('persistedQuery' in extensions)) return extensions;
  const { persistedQuery: _hash, ...rest } = extensions as Record<string, unknown>;
  return Object.keys(rest).length ? rest : undefined;
}
