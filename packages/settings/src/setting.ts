import { z } from 'zod';

/** A schema for one variable: text (or unset) in, a typed value out. */
export type Setting<T> = z.ZodType<T, unknown>;

interface Fallback<T> {
  /** Used when the variable is unset or blank; without one the value is `undefined`. */
  default?: T;
}
/** `T` when a default is given, `T | undefined` otherwise. */
type Value<T, O> = O extends { default: infer _D } ? T : T | undefined;

// Deployment tools write `FOO=` for "not set": blank means unset for every variable.
const blankIsUnset = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/** The variable's trimmed text through `parse` (undefined: refused, with `expected` as the reason). */
function fromText<T, O extends Fallback<T>>(
  expected: string,
  parse: (text: string) => T | undefined,
  options: O,
): Setting<Value<T, O>> {
  const inner = z.string().transform((raw, ctx): T => {
    const value = parse(raw.trim());
    if (value === undefined) {
      ctx.issues.push({ code: 'custom', message: expected, input: raw });
      return z.NEVER;
    }
    return value;
  });
  const fallback = options.default;
  return z.preprocess(
    blankIsUnset,
    fallback === undefined ? inner.optional() : inner.default(fallback as never),
  ) as unknown as Setting<Value<T, O>>;
}

const range = (min: number | undefined, max: number | undefined) =>
  min !== undefined && max !== undefined
    ? ` from ${min} to ${max}`
    : min !== undefined
      ? ` ≥ ${min}`
      : max !== undefined
        ? ` ≤ ${max}`
        : '';
const within = (n: number, min?: number, max?: number) =>
  (min === undefined || n >= min) && (max === undefined || n <= max);

// Plain decimal only: Number() would also take `0x10`, `1e3` and `Infinity`.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)$/;
const INTEGER = /^[+-]?\d+$/;

export interface IntOptions extends Fallback<number> {
  min?: number;
  max?: number;
  /** What is counted, for the message: "an integer number of events ≥ 1". */
  unit?: string;
}

/** A whole number within bounds. */
export function int<O extends IntOptions>(options: O) {
  const what = options.unit ? `an integer number of ${options.unit}` : 'an integer';
  return fromText(
    `${what}${range(options.min, options.max)}`,
    (text) => {
      const n = Number(text);
      return INTEGER.test(text) && Number.isSafeInteger(n) && within(n, options.min, options.max) ? n : undefined;
    },
    options,
  );
}

/** A decimal number within bounds ("0.5" days). */
export function number<O extends IntOptions>(options: O) {
  const what = options.unit ? `a number of ${options.unit}` : 'a number';
  return fromText(
    `${what}${range(options.min, options.max)}`,
    (text) => {
      const n = Number(text);
      return DECIMAL.test(text) && Number.isFinite(n) && within(n, options.min, options.max) ? n : undefined;
    },
    options,
  );
}

/** Node timers fire at once above this (with a warning): longer durations are refused. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface DurationOptions extends Fallback<number> {
  /** Smallest accepted, default 1; 0 where the service reads it as "off". */
  min?: number;
  max?: number;
}

/** Milliseconds, a whole number from `min` (1) to what a Node timer can wait. */
export function durationMs<O extends DurationOptions>(options: O) {
  return int({ ...options, min: options.min ?? 1, max: options.max ?? MAX_TIMER_MS, unit: 'milliseconds' });
}

export function port<O extends Fallback<number>>(options: O) {
  return int({ ...options, min: 0, max: 65_535 });
}

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 };

/** `1048576`, `512kb`, `1.5mb` as a number of bytes (binary units, as Express's `limit` reads them). */
export function parseBytes(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb)?$/i.exec(text.trim());
  if (!match) return undefined;
  const n = Math.floor(Number(match[1]) * UNITS[(match[2] ?? 'b').toLowerCase()]!);
  return Number.isSafeInteger(n) ? n : undefined;
}

export interface BytesOptions extends Fallback<number> {
  min?: number;
  max?: number;
}

/** A size in bytes, with an optional unit: the value is a number of bytes. */
export function bytes<O extends BytesOptions>(options: O) {
  return fromText(
    `a size in bytes${range(options.min, options.max)} such as 1048576, 512kb or 1mb`,
    (text) => {
      const n = parseBytes(text);
      return n !== undefined && within(n, options.min, options.max) ? n : undefined;
    },
    options,
  );
}

/** `true` or `false` (any case); anything else is a typo, not "false". */
export function bool<O extends Fallback<boolean>>(options: O) {
  return fromText(
    'true or false',
    (text) => ({ true: true, false: false })[text.toLowerCase() as 'true' | 'false'],
    options,
  );
}

/** An absolute http(s) URL, kept as written. */
export function url<O extends Fallback<string>>(options: O) {
  return fromText(
    'an absolute http(s) URL',
    (text) => {
      try {
        const parsed = new URL(text);
        return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? text : undefined;
      } catch {
        return undefined;
      }
    },
    options,
  );
}

/** One of `values`, as written (case-sensitive). */
export function oneOf<const V extends readonly [string, ...string[]], O extends Fallback<V[number]>>(
  values: V,
  options: O,
) {
  return fromText(
    `one of ${values.join(', ')}`,
    (text) => (values.includes(text) ? (text as V[number]) : undefined),
    options,
  );
}

export interface ListOptions extends Fallback<string[]> {
  /** Fewest items (default 0). */
  min?: number;
  /** What an item is, for the message ("subject tags"). */
  of?: string;
}

/** Comma-separated, items trimmed, empty items dropped. */
export function list<O extends ListOptions>(options: O) {
  const min = options.min ?? 0;
  const expected = `a comma-separated list of ${options.of ?? 'values'}${min > 0 ? ` (at least ${min})` : ''}`;
  return fromText(
    expected,
    (text) => {
      const items = text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      return items.length >= min ? items : undefined;
    },
    options,
  );
}

/** JSON whose parsed value matches `schema`; `describe` says what it should hold. */
export function json<T, O extends Fallback<T>>(schema: z.ZodType<T>, describe: string, options: O) {
  return fromText(
    `JSON: ${describe}`,
    (text) => {
      try {
        const parsed = schema.safeParse(JSON.parse(text));
        return parsed.success ? parsed.data : undefined;
      } catch {
        return undefined;
      }
    },
    options,
  );
}

/** Any text, kept as written (secrets, paths, names). */
export function text<O extends Fallback<string>>(options: O) {
  return z.preprocess(
    blankIsUnset,
    options.default === undefined ? z.string().optional() : z.string().default(options.default),
  ) as unknown as Setting<Value<string, O>>;
}
