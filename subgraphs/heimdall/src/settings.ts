import { fileURLToPath } from 'node:url';
import { parseSettings, setting, type Env } from '@dataos/settings';
import { KIT_SETTINGS, kitSettingsOf, type KitSettings } from '@dataos/subgraph-kit';
import { PolicyValidationError } from './engine/types.js';
import { exportTargetProblem, type ExportSettings } from './export/index.js';
import { REDACTABLE, type Redactable } from './export/redact.js';
import { validatePolicy } from './engine/validate.js';

/** Heimdall's settings, read once at start; values that do not parse stop the start, each named. */
export interface HeimdallSettings {
  /** How often a replica checks the version for changes made elsewhere (HEIMDALL_POLL_MS). */
  pollMs: number;
  /** Full reload whatever the version says; 0 disables (HEIMDALL_FULL_RELOAD_MS). */
  fullReloadMs: number;
  /** Size and document cap of the capped decision log (HEIMDALL_DECISION_LOG_BYTES, HEIMDALL_DECISION_LOG_MAX). */
  decisionLogBytes: number;
  decisionLogMax: number;
  /** Distinct decisions one request may log; the rest are counted in one summary entry (HEIMDALL_DECISION_LOG_PER_REQUEST). */
  decisionsLoggedPerRequest: number;
  /** Most policy names one `routerAuthorization` call may ask (HEIMDALL_ROUTER_MAX_POLICIES). */
  routerMaxPolicies: number;
  /** Subject tags (AND) of the router's own identity, granted by the bootstrap policy `heimdall-router` (HEIMDALL_ROUTER_TAGS). */
  routerTags: string[];
  /** Where the policy test suites `policyTests` runs are kept (HEIMDALL_POLICY_TESTS_DIR). */
  policyTestsDir: string;
  /** Where every decision-log entry is also sent, and which fields are redacted (HEIMDALL_DECISION_EXPORT*). */
  decisionExport: ExportSettings;
}

/** The suites kept with Heimdall's source (policy-tests/). */
export const DEFAULT_POLICY_TESTS_DIR = fileURLToPath(new URL('../policy-tests/', import.meta.url));

export const DEFAULT_ROUTER_TAGS = 'users:id:dataos-services';

/** Comma-separated subject tags (AND), each a valid tag glob as a policy's subjects would need. */
const subjectTags = (fallback: string) =>
  setting
    .list({ default: [fallback], min: 1, of: 'subject tags (e.g. users:id:<client id>)' })
    .superRefine((tags, ctx) => {
      try {
        validatePolicy({
          name: 'settings-check',
          effect: 'allow',
          subjects: [tags],
          actions: ['read'],
          objects: { paths: ['/x'], tags: [] },
        });
      } catch (error) {
        if (!(error instanceof PolicyValidationError)) throw error;
        ctx.addIssue({ code: 'custom', message: `subject tags a policy accepts (${error.message})` });
      }
    });

/** Who administers Heimdall (HEIMDALL_ADMIN_TAGS): read by the bootstrap policy at start and by the tag guard. */
export const ADMIN_TAGS_SETTING = subjectTags('roles:id:admin');

export const HEIMDALL_SETTINGS = {
  ...KIT_SETTINGS,
  PORT: setting.port({ default: 4001 }),
  HEIMDALL_POLL_MS: setting.durationMs({ default: 1000 }),
  HEIMDALL_FULL_RELOAD_MS: setting.durationMs({ min: 0, default: 300_000 }),
  HEIMDALL_DECISION_LOG_BYTES: setting.bytes({ min: 4096, default: 256 * 1024 * 1024 }),
  HEIMDALL_DECISION_LOG_MAX: setting.int({ min: 1, default: 1_000_000 }),
  HEIMDALL_DECISION_LOG_PER_REQUEST: setting.int({ min: 1, default: 200 }),
  HEIMDALL_ROUTER_MAX_POLICIES: setting.int({ min: 1, default: 100 }),
  HEIMDALL_ROUTER_TAGS: subjectTags(DEFAULT_ROUTER_TAGS),
  HEIMDALL_ADMIN_TAGS: ADMIN_TAGS_SETTING,
  HEIMDALL_POLICY_TESTS_DIR: setting.text({ default: DEFAULT_POLICY_TESTS_DIR }),
  HEIMDALL_DECISION_EXPORT: setting.text({ default: 'none' }).superRefine((target, ctx) => {
    const problem = exportTargetProblem(target);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  HEIMDALL_DECISION_EXPORT_REDACT: setting
    .list({ default: [], of: `fields among ${REDACTABLE.join(', ')}` })
    .superRefine((fields, ctx) => {
      const bad = fields.filter((f) => !(REDACTABLE as readonly string[]).includes(f));
      if (bad.length)
        ctx.addIssue({ code: 'custom', message: `fields among ${REDACTABLE.join(', ')} (not ${bad.join(', ')})` });
    }),
  HEIMDALL_DECISION_EXPORT_BATCH: setting.int({ min: 1, max: 10_000, default: 100 }),
  HEIMDALL_DECISION_EXPORT_QUEUE: setting.int({ min: 1, max: 1_000_000, default: 10_000 }),
};

/** Everything `src/main.ts` needs, every variable checked at once. */
export function heimdallMainSettings(env: Env = process.env): {
  port: number;
  kit: KitSettings;
  heimdall: HeimdallSettings;
} {
  const v = parseSettings(HEIMDALL_SETTINGS, env);
  return {
    port: v.PORT,
    kit: kitSettingsOf(v),
    heimdall: {
      pollMs: v.HEIMDALL_POLL_MS,
      fullReloadMs: v.HEIMDALL_FULL_RELOAD_MS,
      decisionLogBytes: v.HEIMDALL_DECISION_LOG_BYTES,
      decisionLogMax: v.HEIMDALL_DECISION_LOG_MAX,
      decisionsLoggedPerRequest: v.HEIMDALL_DECISION_LOG_PER_REQUEST,
      routerMaxPolicies: v.HEIMDALL_ROUTER_MAX_POLICIES,
      routerTags: v.HEIMDALL_ROUTER_TAGS,
      policyTestsDir: v.HEIMDALL_POLICY_TESTS_DIR,
      decisionExport: {
        target: v.HEIMDALL_DECISION_EXPORT,
        redact: v.HEIMDALL_DECISION_EXPORT_REDACT as Redactable[],
        batch: v.HEIMDALL_DECISION_EXPORT_BATCH,
        queue: v.HEIMDALL_DECISION_EXPORT_QUEUE,
      },
    },
  };
}

export const heimdallSettingsFromEnv = (env: Env = process.env): HeimdallSettings => heimdallMainSettings(env).heimdall;
