import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongo, type TestMongo } from '@dataos/testkit';
import { StaticColumnCatalog } from '../src/catalog.js';
import type { DataPolicyDoc } from '../src/policies/model.js';
import { planScan } from '../src/policies/resolve.js';
import { DataPolicyStore, fromLegacyGlob } from '../src/policies/store.js';
import { SUBJECTS } from './support.js';

/**
 * Data policies an earlier Gateway stored, whose `*` crossed `:` and `/`: read from the real
 * store, they keep their meaning in the DataOS pattern language, so a mask does not stop masking.
 */
let mongo: TestMongo;
let store: DataPolicyStore;
const customers = StaticColumnCatalog.fromDemo();

const legacy = (
  name: string,
  tags: string[],
  column: { tags: string[]; names: string[] },
): Omit<DataPolicyDoc, 'patternSyntax'> => ({
  _id: name,
  description: null,
  type: 'mask',
  priority: 10,
  datasets: [],
  selector: { user: { match: 'any', tags }, column },
  mask: { operator: 'redact', replacement: 'x' },
  filters: [],
  enabled: true,
  version: 1,
  createdAt: new Date(),
  updatedAt: new Date(),
  updatedBy: 'an earlier gateway',
});

beforeAll(async () => {
  mongo = await testMongo('GATEWAY', 'gateway_legacy_');
  store = new DataPolicyStore(mongo.db, 0);
  await mongo.db
    .collection('dataPolicies')
    .insertMany([
      legacy('legacy-everybody', ['*'], { tags: ['PII.Email'], names: [] }),
      legacy('legacy-roles', ['roles:*'], { tags: [], names: ['full_*'] }),
    ] as never[]);
});

afterAll(async () => {
  await mongo?.drop();
});

describe('data policies stored before the DataOS pattern language', () => {
  it('translate `*` to `**` and escape what is syntax now', () => {
    expect(fromLegacyGlob('*')).toBe('**');
    expect(fromLegacyGlob('roles:*')).toBe('roles:**');
    expect(fromLegacyGlob('dataos:**:x')).toBe('dataos:**:x');
    expect(fromLegacyGlob('a[1]{b}\\c')).toBe('a\\[1\\]\\{b\\}\\\\c');
  });

  it('are read in the new language with their old meaning: a stored `*` selector still masks everybody', async () => {
    const all = await store.all();
    expect(all.map((p) => [p._id, p.selector.user.tags, p.selector.column?.names])).toEqual([
      ['legacy-everybody', ['**'], []],
      ['legacy-roles', ['roles:**'], ['full_**']],
    ]);
    const dataset = (await customers.datasets(['dataos://icebase:retail/customers'])).get(
      'dataos://icebase:retail/customers',
    )!;
    const plan = planScan(dataset, SUBJECTS.alice, all);
    const masked = Object.fromEntries(plan.columns.map((c) => [c.name, c.mask?.policy ?? null]));
    expect(masked.email).toBe('legacy-everybody');
    expect(masked.full_name).toBe('legacy-roles');
  });

  it('are written back in the new language on their next update', async () => {
    const current = (await store.get('legacy-everybody'))!;
    expect(current.selector.user.tags).toEqual(['**']);
    const updated = await store.update(
      'legacy-everybody',
      {
        name: current._id,
        type: 'mask',
        priority: current.priority,
        selector: { user: { match: 'any', tags: ['users:id:*'] }, column: { tags: ['PII.Email'] } },
        mask: { operator: 'redact', replacement: 'x' },
      },
      'carol',
    );
    expect(updated.patternSyntax).toBe(2);
    const raw = await mongo.db.collection('dataPolicies').findOne({ _id: 'legacy-everybody' as never });
    expect(raw?.selector.user.tags).toEqual(['users:id:*']);
    expect(raw?.patternSyntax).toBe(2);
  });
});
