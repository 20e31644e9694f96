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

/**
 * The demo tables' columns as Metis seeds them (`[name, type, tags]`), the tags the default PII
 * masks select: for tests that put the Gateway's demo tables into a Metis of their own.
 */
export const DEMO_COLUMNS: Record<'customers' | 'orders', [string, string, string[]][]> = {
  customers: [
    ['customer_id', 'bigint', []],
    ['full_name', 'varchar', ['PII.Name']],
    ['email', 'varchar', ['PII.Email']],
    ['phone', 'varchar', ['PII.PhoneNumber']],
    ['region', 'varchar', []],
    ['date_of_birth', 'date', ['PII.DateOfBirth']],
    ['created_at', 'timestamp', []],
  ],
  orders: [
    ['order_id', 'bigint', []],
    ['customer_id', 'bigint', []],
    ['order_total', 'decimal(12,2)', []],
    ['ordered_at', 'timestamp', []],
  ],
};
