/**
 * What a caller may read of an engine's planning error. The engine plans the rewritten SQL, so its
 * message may quote a mask, a row filter or a `__gw` name instead of the caller's own text. A
 * message is shown only when everything it quotes comes from the caller: no `__gw`, no parameter,
 * no key, and every word of every quoted fragment is a word of the caller's SQL, a column of a
 * dataset they read, or an upper-case type or keyword (`lower(INTEGER)`). Anything else gets a
 * fixed message: the rule errs on withholding.
 */
export interface MessageContext {
  /** The caller's SQL. */
  sql: string;
  /** Columns of the datasets the query reads, as the catalog shows them to the caller. */
  columns: Iterable<string>;
  /** Values that must never be shown (the derived keys this query bound). */
  secrets: Iterable<string>;
}

const WORD = /[A-Za-z_][A-Za-z0-9_]*/g;
const QUOTED = /"((?:[^"]|"")*)"|'((?:[^']|'')*)'/g;
const UPPER = /^[A-Z][A-Z0-9_]*$/;

/** The first line of `message` when it quotes nothing but the caller's own text; null otherwise. */
export function callerSafeMessage(message: string, context: MessageContext): string | null {
  // Trino prefixes `line 1:8:`: a position in the rewritten SQL, not in the caller's.
  const line = message.split('\n')[0]!.replace(/\bline \d+:\d+: /g, '');
  if (/__gw|\$[A-Za-z_]/i.test(line)) return null;
  for (const secret of context.secrets) if (secret && line.includes(secret)) return null;
  const known = new Set([...(context.sql.match(WORD) ?? []), ...context.columns].map((w) => w.toLowerCase()));
  for (const m of line.matchAll(QUOTED)) {
    const fragment = m[1] ?? m[2] ?? '';
    for (const word of fragment.match(WORD) ?? []) {
      if (!UPPER.test(word) && !known.has(word.toLowerCase())) return null;
    }
  }
  return line;
}
