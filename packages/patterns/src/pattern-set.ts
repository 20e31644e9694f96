import { normalize, type PatternKind } from './kinds.js';
import { literalPrefix } from './parse.js';
import { compilePattern, type Pattern } from './pattern.js';

/**
 * Many globs of one kind, asked "does any match this name?". Literal globs are looked up by
 * value and wildcard globs bucketed by their literal prefix cut at the last level separator, so
 * a name tests only the globs that could match it (Heimdall's engine indexes its policies the
 * same way). What grants hand to services: thousands of patterns checked against thousands of
 * datasets per request.
 */
export class PatternSet {
  private readonly exact = new Set<string>();
  private readonly byPrefix = new Map<string, Pattern[]>();
  private readonly sep: '/' | ':';
  readonly size: number;

  /** Throws PatternError on a malformed glob. */
  constructor(
    globs: readonly string[],
    readonly kind: PatternKind,
  ) {
    this.sep = kind === 'path' ? '/' : ':';
    for (const text of globs) {
      const p = compilePattern(text, kind);
      if (p.literal) {
        this.exact.add(p.source);
        continue;
      }
      const prefix = literalPrefix(p.source);
      const key = prefix.slice(0, prefix.lastIndexOf(this.sep) + 1);
      const bucket = this.byPrefix.get(key);
      if (bucket) bucket.push(p);
      else this.byPrefix.set(key, [p]);
    }
    this.size = globs.length;
  }

  /** Whether a glob matches `value` as written (normalized for the kind here). */
  has(value: string): boolean {
    return this.hasNormalized(normalize(value, this.kind));
  }

  /** Whether a glob matches `value`, already normalized for the kind. */
  hasNormalized(value: string): boolean {
    if (this.exact.has(value)) return true;
    if (this.byPrefix.size === 0) return false;
    const test = (key: string) => this.byPrefix.get(key)?.some((p) => p.test(value)) ?? false;
    // `X/**` matches `X` itself (zero levels): its bucket is `X/`.
    if (test('') || test(value + this.sep)) return true;
    for (let i = value.indexOf(this.sep); i >= 0; i = value.indexOf(this.sep, i + 1)) {
      if (test(value.slice(0, i + 1))) return true;
    }
    return false;
  }

  /** Whether a glob matches one of `values`. */
  hasAny(values: readonly string[]): boolean {
    return values.some((v) => this.has(v));
  }
}
