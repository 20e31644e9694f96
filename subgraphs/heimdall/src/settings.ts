import { PolicyValidationError } from './engine/types.js';
import { validatePolicy } from './engine/validate.js';

/** Heimdall's settings, read once at start; a value that does not parse stops the start, naming its variable. */
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
}

export const DEFAULT_ROUTER_TAGS = 'users:id:dataos-services';

function whole(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) {
    throw new Error(`${name} must be a whole number of at least ${min}, got "${raw}"`);
  }
  return value;
}

/** Comma-separated subject tags (AND), each a valid tag glob as a policy's subjects would need. */
function subjectTags(env: NodeJS.ProcessEnv, name: string, fallback: string): string[] {
  const raw = env[name] ?? fallback;
  const tags = raw.split(',').map((t) => t.trim()).filter(Boolean);
  if (tags.length === 0) throw new Error(`${name} must name at least one subject tag (e.g. users:id:<router client id>), got "${raw}"`);
  try {
    validatePolicy({ name: 'settings-check', effect: 'allow', subjects: [tags], actions: ['read'], objects: { paths: ['/x'], tags: [] } });
  } catch (error) {
    if (error instanceof PolicyValidationError) throw new Error(`${name}: ${error.message}`);
    throw error;
  }
  return tags;
}

export function heimdallSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): HeimdallSettings {
  return {
    pollMs: whole(env, 'HEIMDALL_POLL_MS', 1000, 1),
    fullReloadMs: whole(env, 'HEIMDALL_FULL_RELOAD_MS', 300_000, 0),
    decisionLogBytes: whole(env, 'HEIMDALL_DECISION_LOG_BYTES', 256 * 1024 * 1024, 4096),
    decisionLogMax: whole(env, 'HEIMDALL_DECISION_LOG_MAX', 1_000_000, 1),
    decisionsLoggedPerRequest: whole(env, 'HEIMDALL_DECISION_LOG_PER_REQUEST', 200, 1),
    routerMaxPolicies: whole(env, 'HEIMDALL_ROUTER_MAX_POLICIES', 100, 1),
    routerTags: subjectTags(env, 'HEIMDALL_ROUTER_TAGS', DEFAULT_ROUTER_TAGS),
  };
}
