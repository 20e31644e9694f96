import type { PolicyDefinition } from './engine/types.js';

/**
 * Heimdall's own admin policy, created at start when missing, so that somebody can manage
 * policies on a fresh store. `HEIMDALL_ADMIN_TAGS` (comma-separated, AND) chooses who.
 */
export function bootstrapPolicies(env: NodeJS.ProcessEnv = process.env): PolicyDefinition[] {
  const tags = (env.HEIMDALL_ADMIN_TAGS ?? 'roles:id:admin').split(',').map((t) => t.trim()).filter(Boolean);
  return [
    {
      name: 'heimdall-admins',
      description: 'Administrators manage Heimdall: policies, user tags, the decision log.',
      collection: 'system',
      effect: 'allow',
      subjects: [tags],
      actions: ['*'],
      objects: { paths: ['/heimdall/**'], tags: [] },
    },
  ];
}
