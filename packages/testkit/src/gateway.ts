import type { TestPolicy } from './policies.js';

/**
 * Heimdall access policies a Gateway test usually needs, for the depots it created: data
 * developers and admins read `<depot>:retail`, admins read everything of the depots, everyone
 * with a role uses the catalog API (Metis), operators and admins manage `/gateway/**`
 * (clusters, data policies, everyone's query history).
 */
export function gatewayAccessPolicies(depots: { retail: string; restricted?: string }): TestPolicy[] {
  return [
    {
      name: `${depots.retail}-retail-readers`,
      subjects: [['roles:id:data-dev'], ['roles:id:admin']],
      actions: ['read'],
      objects: { paths: [`dataos://${depots.retail}:retail/**`] },
    },
    ...(depots.restricted
      ? [
          {
            name: `${depots.restricted}-admin-readers`,
            subjects: [['roles:id:admin']],
            actions: ['read'],
            objects: { paths: [`dataos://${depots.restricted}:*/**`] },
          },
        ]
      : []),
    {
      name: `${depots.retail}-catalog-api`,
      subjects: [['roles:id:*']],
      actions: ['read'],
      objects: { paths: ['/metis/**'] },
    },
    {
      name: `${depots.retail}-gateway-operators`,
      subjects: [['roles:id:operator'], ['roles:id:admin']],
      actions: ['manage', 'read'],
      objects: { paths: ['/gateway/**'] },
    },
  ];
}
