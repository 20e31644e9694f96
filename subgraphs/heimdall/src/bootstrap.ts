import { isDeepStrictEqual } from 'node:util';
import type { PolicyDefinition } from './engine/types.js';
import { parseSettings } from '@dataos/settings';
import { ADMIN_TAGS_SETTING } from './settings.js';
import type { PolicyRepository } from './store/policies.js';
import { fromStoredSubjects } from './store/policies.js';

/** The bootstrap admin policy's name: the API refuses to change or delete it. */
export const ADMIN_POLICY = 'heimdall-admins';
/** The bootstrap policy that makes the router's own identity an enforcement point; likewise kept by the API. */
export const ROUTER_POLICY = 'heimdall-router';
/** What `routerAuthorization` asks before it answers policy names for anyone: `read` on this object. */
export const ROUTER_AUTHORIZATION_OBJECT = '/heimdall/router-authorization';

/** `HEIMDALL_ADMIN_TAGS` (comma-separated, AND): who administers Heimdall. */
export function adminTags(env: NodeJS.ProcessEnv = process.env): string[] {
  return parseSettings({ HEIMDALL_ADMIN_TAGS: ADMIN_TAGS_SETTING }, env).HEIMDALL_ADMIN_TAGS;
}

/**
 * Heimdall's own admin policy, created at start when missing, so that somebody can manage
 * policies on a fresh store. `HEIMDALL_ADMIN_TAGS` chooses who.
 */
export function bootstrapPolicies(env: NodeJS.ProcessEnv = process.env): PolicyDefinition[] {
  return [
    {
      name: ADMIN_POLICY,
      description: 'Administrators manage Heimdall: policies, user tags, the decision log.',
      collection: 'system',
      effect: 'allow',
      subjects: [adminTags(env)],
      actions: ['*'],
      objects: { paths: ['/heimdall/**'], tags: [] },
    },
  ];
}

/**
 * The router's identity (HEIMDALL_ROUTER_TAGS) may ask `routerAuthorization` about other subjects'
 * tokens: as Envoy's ext_authz or a DataOS provider registration, the enforcement point
 * authenticates as itself, and only it (and policy readers) learns how named policies answer.
 */
export function routerPolicy(routerTags: string[]): PolicyDefinition {
  return {
    name: ROUTER_POLICY,
    description: 'The router (an enforcement point) learns which @policy names pass for the callers it forwards.',
    collection: 'system',
    effect: 'allow',
    subjects: [routerTags],
    actions: ['read'],
    objects: { paths: [ROUTER_AUTHORIZATION_OBJECT], tags: [] },
  };
}

/**
 * Creates the bootstrap policies, and rewrites one that differs from the environment: since the
 * API cannot change `heimdall-admins` or `heimdall-router`, changing HEIMDALL_ADMIN_TAGS or
 * HEIMDALL_ROUTER_TAGS and restarting is the way.
 */
export async function ensureBootstrap(
  repo: PolicyRepository,
  routerTags: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const wanted = [...bootstrapPolicies(env), routerPolicy(routerTags)];
  await repo.ensure(wanted, 'bootstrap');
  for (const policy of wanted) {
    const doc = await repo.get(policy.name);
    if (!doc) continue;
    const stored = {
      effect: doc.effect,
      subjects: fromStoredSubjects(doc.subjects),
      actions: doc.actions,
      objects: doc.objects,
    };
    const desired = {
      effect: policy.effect,
      subjects: policy.subjects,
      actions: policy.actions,
      objects: policy.objects,
    };
    if (!isDeepStrictEqual(stored, desired)) await repo.replace(policy, 'bootstrap');
  }
}
