import type { z } from 'zod';

/** One variable that did not parse: what it held and what was expected. */
export interface SettingsProblem {
  variable: string;
  /** The raw text, or undefined when a required variable is unset. */
  value: string | undefined;
  expected: string;
}

/**
 * Every bad variable of a service at once, one per line: an operator fixes them in one round
 * instead of one restart per typo. The message starts with the first variable's name.
 */
export class SettingsError extends Error {
  constructor(readonly problems: SettingsProblem[]) {
    super(problems.map(describeProblem).join('\n'));
    this.name = 'SettingsError';
  }
}

export function describeProblem(p: SettingsProblem): string {
  return p.value === undefined
    ? `${p.variable} must be set: ${p.expected}`
    : `${p.variable} must be ${p.expected} (got ${JSON.stringify(p.value)})`;
}

/** zod's issues as problems, the first per variable (a pipe may report one failure twice). */
export function problemsOf(
  issues: readonly z.core.$ZodIssue[],
  env: Readonly<Record<string, string | undefined>>,
): SettingsProblem[] {
  const seen = new Map<string, SettingsProblem>();
  for (const issue of issues) {
    const variable = String(issue.path[0] ?? '(settings)');
    if (seen.has(variable)) continue;
    seen.set(variable, { variable, value: env[variable], expected: issue.message });
  }
  return [...seen.values()];
}
