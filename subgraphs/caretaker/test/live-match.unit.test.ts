import { describe, expect, it } from 'vitest';
import { matchesQuery } from '../src/live/match.js';
import type { PodDoc } from '../src/model.js';
import { podQuery } from '../src/store/pods.js';

const pod = {
  namespace: 'retail',
  name: 'orders-1',
  phase: 'RUNNING',
  nodeName: 'node-1',
  deleted: false,
  resourceUrn: 'dataos://workflow:retail/orders-ingest',
  resourceType: 'workflow',
  owner: { kind: 'Job', name: 'orders' },
  labels: ['app=orders', 'tier=batch'],
} as unknown as PodDoc;

describe('live filters: the filters of `pods`, matched in memory', () => {
  it.each([
    [{}, true],
    [{ namespace: 'retail' }, true],
    [{ namespace: 'finance' }, false],
    [{ phases: ['FAILED', 'RUNNING'] }, true],
    [{ phases: ['FAILED'] }, false],
    [{ resourceUrn: 'resource://workflow/retail/orders-ingest' }, true],
    [{ resourceType: 'service' }, false],
    [{ workload: { kind: 'Job', name: 'orders' } }, true],
    [{ workload: { name: 'other' } }, false],
    [{ nodeName: 'node-1', labels: [{ name: 'app', value: 'orders' }] }, true],
    [
      {
        labels: [
          { name: 'app', value: 'orders' },
          { name: 'tier', value: 'web' },
        ],
      },
      false,
    ],
  ])('%j matches: %s', (filter, expected) => {
    expect(matchesQuery(pod, podQuery(filter as never))).toBe(expected);
  });

  it('a deleted pod matches only when deleted pods are asked for', () => {
    const gone = { ...pod, deleted: true };
    expect(matchesQuery(gone, podQuery({}))).toBe(false);
    expect(matchesQuery(gone, podQuery({ includeDeleted: true }))).toBe(true);
  });

  it('refuses an operator it does not implement rather than matching wrongly', () => {
    expect(() => matchesQuery(pod, { restarts: { $gt: 1 } } as never)).toThrow('$gt is not supported');
  });
});
