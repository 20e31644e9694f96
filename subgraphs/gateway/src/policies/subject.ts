import type { BaseContext } from '@dataos/subgraph-kit';

type Principal = NonNullable<BaseContext['principal']>;

/** Who runs a query, as data policies see them: tags select policies, attributes feed filters. */
export interface Subject {
  /** `users:id:<sub>` */
  id: string;
  sub: string;
  email?: string;
  name?: string;
  /** From the token and assigned in Heimdall (`roles:id:data-dev`, ...). */
  tags: string[];
  /** The token's claims (`region`, `groups`, ...). */
  claims: Record<string, unknown>;
}

export function subjectOf(principal: Principal, heimdallTags: readonly string[] = []): Subject {
  return {
    id: principal.id,
    sub: principal.sub,
    ...(principal.email ? { email: principal.email } : {}),
    ...(principal.name ? { name: principal.name } : {}),
    tags: [...new Set([...principal.tags, ...heimdallTags])],
    claims: principal.claims as Record<string, unknown>,
  };
}

type Scalar = string | number | boolean;
const isScalar = (v: unknown): v is Scalar =>
  typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

/**
 * A subject attribute: `claims.<name>` (a claim; lists stay lists), `subject.id|sub|email|name`,
 * `tags.<prefix>` (the rest of every tag starting with `<prefix>:`, a list), or a bare name
 * (a claim). Undefined when absent, so that filters on it match no row.
 */
export function attributeOf(subject: Subject, path: string): Scalar | Scalar[] | undefined {
  const [head, ...rest] = path.split('.');
  const tail = rest.join('.');
  if (head === 'subject' && rest.length === 1) {
    const v = (
      { id: subject.id, sub: subject.sub, email: subject.email, name: subject.name } as Record<
        string,
        string | undefined
      >
    )[tail];
    return v;
  }
  if (head === 'tags' && tail) {
    const prefix = `${tail}:`;
    return subject.tags.filter((t) => t.startsWith(prefix)).map((t) => t.slice(prefix.length));
  }
  const claim = head === 'claims' && tail ? subject.claims[tail] : rest.length === 0 ? subject.claims[path] : undefined;
  if (isScalar(claim)) return claim;
  if (Array.isArray(claim)) return claim.filter(isScalar);
  return undefined;
}
