import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { ACTIONS, type PolicyEngine, type SubjectContext } from '../engine/types.js';

/** A suite is read whole: a file past this is refused, not streamed. */
const MAX_SUITE_BYTES = 1024 * 1024;
const MAX_CASES = 5000;
const MAX_SUITES = 200;

const action = z.enum(ACTIONS.filter((a) => a !== '*') as [string, ...string[]]);
const object = z
  .object({
    path: z.string().min(1).max(2048).optional(),
    tags: z.array(z.string().min(1).max(2048)).max(256).optional(),
  })
  .strict()
  .refine((o) => o.path !== undefined || (o.tags?.length ?? 0) > 0, 'an object needs a path or tags');

/**
 * A policy test suite, kept as a JSON file beside Heimdall: named subjects (their tags as a token
 * and Heimdall would give them, and the claims conditions read), and cases with the decision
 * expected, the deciding policies (exactly, when given) and words the reason must contain.
 */
export const SuiteFile = z
  .object({
    description: z.string().optional(),
    subjects: z.record(
      z.string(),
      z
        .object({ tags: z.array(z.string().min(1)).min(1), claims: z.record(z.string(), z.string()).default({}) })
        .strict(),
    ),
    cases: z
      .array(
        z
          .object({
            name: z.string().min(1),
            subject: z.string().min(1),
            action,
            object,
            expect: z
              .object({
                allowed: z.boolean(),
                policies: z.array(z.string()).optional(),
                reason: z.string().optional(),
              })
              .strict(),
            /** Evaluate at this time (ISO), for time conditions; now by default. */
            at: z.iso.datetime().optional(),
          })
          .strict(),
      )
      .min(1)
      .max(MAX_CASES),
  })
  .strict();
export type SuiteFile = z.infer<typeof SuiteFile>;

export interface CaseResult {
  name: string;
  passed: boolean;
  decision: { subject: string; action: string; object: { path: string | null; tags: string[] } } & ReturnType<
    PolicyEngine['decide']
  >;
  failure: string | null;
}

export interface SuiteResult {
  suite: string;
  passed: number;
  failed: number;
  cases: CaseResult[];
}

export class SuiteError extends Error {
  constructor(
    readonly suite: string,
    message: string,
  ) {
    super(message);
    this.name = 'SuiteError';
  }
}

/** Parses one suite's text; a SuiteError names the suite and the first problem's place. */
export function parseSuite(name: string, text: string): SuiteFile {
  if (text.length > MAX_SUITE_BYTES) throw new SuiteError(name, `suite "${name}" is over ${MAX_SUITE_BYTES} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SuiteError(name, `suite "${name}" is not JSON: ${(error as Error).message}`);
  }
  const parsed = SuiteFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new SuiteError(name, `suite "${name}" at ${issue.path.join('.') || '(top)'}: ${issue.message}`);
  }
  for (const [i, c] of parsed.data.cases.entries()) {
    if (!parsed.data.subjects[c.subject]) {
      throw new SuiteError(name, `suite "${name}" at cases.${i}.subject: no subject named "${c.subject}"`);
    }
  }
  return parsed.data;
}

/** Runs a suite against an engine: each case's decision, and what differs from what it expects. */
export function runSuite(name: string, suite: SuiteFile, engine: Pick<PolicyEngine, 'decide'>): SuiteResult {
  const subjects = new Map<string, SubjectContext>(
    Object.entries(suite.subjects).map(([key, s]) => {
      const id = s.tags.find((t) => t.startsWith('users:id:')) ?? `users:id:${key}`;
      return [key, { id, tags: s.tags, claims: s.claims }];
    }),
  );
  const cases = suite.cases.map((c): CaseResult => {
    const subject = subjects.get(c.subject)!;
    const result = engine.decide(subject, c.action, c.object, c.at ? new Date(c.at) : new Date());
    const problems: string[] = [];
    if (result.allowed !== c.expect.allowed)
      problems.push(
        `expected ${c.expect.allowed ? 'allowed' : 'denied'}, got ${result.allowed ? 'allowed' : 'denied'}`,
      );
    if (c.expect.policies && JSON.stringify([...c.expect.policies].sort()) !== JSON.stringify(result.policies)) {
      problems.push(`expected policies [${c.expect.policies.join(', ')}], got [${result.policies.join(', ')}]`);
    }
    if (c.expect.reason && !result.reason.includes(c.expect.reason)) {
      problems.push(`expected the reason to contain "${c.expect.reason}", got "${result.reason}"`);
    }
    return {
      name: c.name,
      passed: problems.length === 0,
      decision: {
        subject: subject.id,
        action: c.action,
        object: { path: c.object.path ?? null, tags: c.object.tags ?? [] },
        ...result,
      },
      failure: problems.length ? problems.join('; ') : null,
    };
  });
  const passed = cases.filter((c) => c.passed).length;
  return { suite: name, passed, failed: cases.length - passed, cases };
}

/** The suites in `dir` (`<name>.json`), or only `only`; a SuiteError for a missing or malformed one. */
export async function loadSuites(dir: string, only?: string | null): Promise<{ name: string; suite: SuiteFile }[]> {
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.json')).sort();
  const names = files.map((f) => basename(f, '.json')).slice(0, MAX_SUITES);
  if (only !== null && only !== undefined && !names.includes(only)) {
    throw new SuiteError(only, `no policy test suite named "${only}" (there are: ${names.join(', ') || 'none'})`);
  }
  const chosen = only ? [only] : names;
  return Promise.all(
    chosen.map(async (name) => ({ name, suite: parseSuite(name, await readFile(join(dir, `${name}.json`), 'utf8')) })),
  );
}
