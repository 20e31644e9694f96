import { SettingsError, type Env } from '@dataos/settings';
import { z } from 'zod';

/** One depot Metis scans: where its catalog is, how to log in, and how often. */
export interface ScanTarget {
  depot: string;
  type: 'postgres' | 'trino' | 'duckdb';
  /**
   * `postgres://user@host:port/db`, `http://user@host:port` (Trino) or `file:///path/db.duckdb`
   * (a DuckDB file, opened read-only). A password written in the
   * URL is taken out of it at start: the URL Metis keeps and shows holds none.
   */
  url: string;
  /** Trino: the catalog to scan (`icebase`); PostgreSQL: unused (the URL names the database). */
  catalog: string | null;
  /** Seconds between scheduled scans; 0: on demand only. */
  everySeconds: number;
  /** Comments become descriptions (default); false where a source's comments are not meant for readers. */
  comments: boolean;
  /** The password, from `passwordEnv` or the URL; never in an answer or a log. */
  password: string | null;
}

const DEPOT = /^[a-z][a-z0-9_-]*$/i;

const targetSchema = z
  .object({
    depot: z.string().regex(DEPOT),
    type: z.enum(['postgres', 'trino', 'duckdb']),
    url: z.string().min(1),
    catalog: z
      .string()
      .regex(/^[a-z0-9_]+$/i)
      .optional(),
    everySeconds: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 3600)
      .default(0),
    comments: z.boolean().default(true),
    /** The variable holding the password (so that the scan list itself holds no secret). */
    passwordEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/)
      .optional(),
  })
  .strict();

const fail = (expected: string): never => {
  // The value is never echoed: the list may carry passwords in its URLs.
  throw new SettingsError([{ variable: 'METIS_SCANS', value: '(not shown: it may hold a password)', expected }]);
};

/**
 * `METIS_SCANS`: a JSON list of `{depot, type, url, catalog?, everySeconds?, comments?, passwordEnv?}`.
 * Errors name the entry and the field, never a value.
 */
export function parseScanTargets(text: string | undefined, env: Env = process.env): ScanTarget[] {
  if (text === undefined || text.trim() === '') return [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return fail('a JSON list of scans ({depot, type, url, ...})');
  }
  if (!Array.isArray(raw) || raw.length > 100) return fail('a JSON list of at most 100 scans');
  const seen = new Set<string>();
  return raw.map((entry, i) => {
    const parsed = targetSchema.safeParse(entry);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return fail(
        `a list of scans: entry ${i}, field "${issue.path.join('.') || '(entry)'}" is not valid (${issue.code})`,
      );
    }
    const t = parsed.data;
    if (seen.has(t.depot)) return fail(`a list of scans with one entry per depot: "${t.depot}" appears twice`);
    seen.add(t.depot);
    let url: URL;
    try {
      url = new URL(t.url);
    } catch {
      return fail(`a list of scans: entry ${i}, field "url" is not a URL`);
    }
    const protocols = { postgres: ['postgres:', 'postgresql:'], trino: ['http:', 'https:'], duckdb: ['file:'] }[t.type];
    if (!protocols.includes(url.protocol))
      return fail(`a list of scans: entry ${i}, field "url" must start with ${protocols.join(' or ')}//`);
    if (t.type === 'trino' && !t.catalog) return fail(`a list of scans: entry ${i} (trino) needs "catalog"`);
    let password = url.password ? decodeURIComponent(url.password) : null;
    url.password = '';
    if (t.passwordEnv) {
      const fromEnv = env[t.passwordEnv];
      if (fromEnv === undefined) return fail(`a list of scans: entry ${i} names ${t.passwordEnv}, which is unset`);
      password = fromEnv;
    }
    return {
      depot: t.depot,
      type: t.type,
      url: url.toString(),
      catalog: t.catalog ?? null,
      everySeconds: t.everySeconds,
      comments: t.comments,
      password,
    };
  });
}

/**
 * Removes every secret of a target from a text (an error message of a driver, say): whatever a
 * library puts in its messages, a run record or a log line never carries the password.
 */
export function redact(text: string, target: Pick<ScanTarget, 'password'>): string {
  const secrets = [target.password, target.password && encodeURIComponent(target.password)].filter(
    (s): s is string => !!s && s.length >= 3,
  );
  let out = text;
  for (const s of secrets) out = out.split(s).join('***');
  return out;
}
