/** Numeric settings from the environment, refused at start when they make no sense. */

export interface NumberRule {
  /** Smallest value accepted (default 0). */
  min?: number;
  /** Largest value accepted. */
  max?: number;
  integer?: boolean;
  /** What the number is, for the error message ("days", "events", "milliseconds"). */
  unit: string;
}

/**
 * `env[name]` as a number, or `fallback` when unset or empty. Anything else than a finite number
 * in range (NaN, `-1`, `7d`, `1e400`) throws, naming the variable, the value and what is expected:
 * a typo must stop the service at start, not archive everything (a window of NaN days) later.
 */
export function numberSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, rule: NumberRule): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  const min = rule.min ?? 0;
  const ok =
    /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw) &&
    Number.isFinite(value) &&
    value >= min &&
    (rule.max === undefined || value <= rule.max) &&
    (!rule.integer || Number.isInteger(value));
  if (!ok) {
    const range = rule.max === undefined ? `at least ${min}` : `between ${min} and ${rule.max}`;
    throw new Error(`${name}="${raw}" is not valid: expected ${rule.integer ? 'an integer' : 'a number'} of ${rule.unit}, ${range} (default ${fallback}).`);
  }
  return value;
}

/** History window in days (CARETAKER_HISTORY_WINDOW_DAYS, 7): history older than this is archived. */
export const historyWindowDays = (env: NodeJS.ProcessEnv = process.env) =>
  numberSetting(env, 'CARETAKER_HISTORY_WINDOW_DAYS', 7, { min: 0.001, max: 3650, unit: 'days' });

/** Events per archive object (CARETAKER_ARCHIVE_BATCH, 5000). */
export const archiveBatch = (env: NodeJS.ProcessEnv = process.env) =>
  numberSetting(env, 'CARETAKER_ARCHIVE_BATCH', 5000, { min: 1, max: 100_000, integer: true, unit: 'events' });

/** The settings `src/main.ts` reads, all checked before it connects to anything (the first bad one throws). */
export function mainSettings(env: NodeJS.ProcessEnv = process.env) {
  return {
    port: numberSetting(env, 'PORT', 4005, { min: 0, max: 65_535, integer: true, unit: 'port' }),
    historyWindowDays: historyWindowDays(env),
    archiveBatch: archiveBatch(env),
    /** 0 = never. Node timers overflow above 2^31 - 1 ms. */
    archiveIntervalMs: numberSetting(env, 'CARETAKER_ARCHIVE_INTERVAL_MS', 3_600_000, { min: 0, max: 2 ** 31 - 1, integer: true, unit: 'milliseconds' }),
    /** Rollup compaction period; 0 = never (parts then stay unmerged: reads stay exact, slower). */
    rollupIntervalMs: numberSetting(env, 'CARETAKER_ROLLUP_INTERVAL_MS', 15_000, { min: 0, max: 2 ** 31 - 1, integer: true, unit: 'milliseconds' }),
  };
}
