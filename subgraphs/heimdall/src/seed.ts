import type { MongoStore } from '@dataos/stores';
import type { PolicyDefinition } from './engine/types.js';
import { validatePolicy } from './engine/validate.js';
import { collectionsOf } from './store/collections.js';
import { PolicyRepository } from './store/policies.js';

/** Demo access policies matching the dev issuer's people (alice data-dev, bob operator, carol admin). */
export const DEMO_POLICIES: PolicyDefinition[] = [
  {
    name: 'retail-readers',
    description: 'Data developers read the retail domain.',
    collection: 'demo',
    effect: 'allow',
    subjects: [['roles:id:data-dev'], ['roles:id:admin']],
    actions: ['read'],
    objects: { paths: ['dataos://icebase:retail/**'], tags: ['dataos:domain:retail'] },
  },
  {
    name: 'admins-read-everything',
    description: 'Administrators read every dataset.',
    collection: 'demo',
    effect: 'allow',
    subjects: [['roles:id:admin']],
    actions: ['read', 'write'],
    objects: { paths: ['dataos://**'], tags: [] },
  },
  {
    name: 'metis-api-users',
    description: 'Anyone with a role uses the catalog API.',
    collection: 'demo',
    effect: 'allow',
    subjects: [['roles:id:*']],
    actions: ['read'],
    objects: { paths: ['/metis/**'], tags: [] },
  },
  {
    name: 'caretaker-resource-sync',
    description: "Caretaker's service principal makes the resources owning its pods Metis resources (upsertResource).",
    collection: 'demo',
    effect: 'allow',
    subjects: [['users:id:dataos-svc-caretaker'], ['users:id:dataos-services']],
    actions: ['write'],
    objects: { paths: ['/metis/resources/**'], tags: [] },
  },
  {
    name: 'gateway-usage-report',
    description: "The Gateway's service principal reports finished queries to Metis for usage (recordQueryUsage).",
    collection: 'demo',
    effect: 'allow',
    subjects: [['users:id:dataos-svc-gateway'], ['users:id:dataos-services']],
    actions: ['write'],
    objects: { paths: ['/metis/usage'], tags: [] },
  },
  {
    name: 'metis-profiler',
    description:
      "Metis's service principal profiles the demo lakehouse through the Gateway, under the Gateway's masks (profileDataset, METIS_PROFILES).",
    collection: 'demo',
    effect: 'allow',
    subjects: [['users:id:dataos-svc-metis']],
    actions: ['read'],
    objects: { paths: ['dataos://icebase:*/**', 'dataos://lakehouse:*/**'], tags: [] },
  },
  {
    name: 'operators-scan-depots',
    description:
      "Operators run and follow Metis's scans of every depot (scanDepot, scanRuns): the depot itself, not its datasets.",
    collection: 'demo',
    effect: 'allow',
    subjects: [['roles:id:operator']],
    actions: ['read', 'write'],
    objects: { paths: ['dataos://*'], tags: [] },
  },
  {
    name: 'caretaker-operators',
    description: 'Operators and admins watch pods and nodes (used by @policy in Caretaker).',
    collection: 'demo',
    effect: 'allow',
    subjects: [['roles:id:operator'], ['roles:id:admin']],
    actions: ['read', 'write'],
    objects: { paths: ['/caretaker/**'], tags: [] },
  },
  {
    name: 'gateway-operators',
    description: 'Operators and admins manage Minerva clusters and data policies, and read all query history.',
    collection: 'demo',
    effect: 'allow',
    subjects: [['roles:id:operator'], ['roles:id:admin']],
    actions: ['manage', 'read'],
    objects: { paths: ['/gateway/**'], tags: [] },
  },
  {
    name: 'platform-admins',
    description: 'Administrators manage every service API: ontologies, clusters, data policies, pods.',
    collection: 'demo',
    effect: 'allow',
    subjects: [['roles:id:admin']],
    actions: ['*'],
    objects: { paths: ['/metis/**', '/odin/**', '/gateway/**', '/caretaker/**'], tags: [] },
  },
  {
    name: 'no-finance-for-data-devs',
    description: 'Finance data is off limits to data developers, even through broader grants.',
    collection: 'demo',
    effect: 'deny',
    subjects: [['roles:id:data-dev']],
    actions: ['*'],
    objects: { paths: ['dataos://lakehouse:finance/**'], tags: ['dataos:domain:finance'] },
  },
];

export async function seedHeimdall(mongo: MongoStore): Promise<{ created: number; updated: number }> {
  const repo = new PolicyRepository(collectionsOf(mongo.db));
  return repo.ensure(DEMO_POLICIES.map(validatePolicy), 'seed');
}
