// A realistic stream of watch events for one small cluster, delivered the way a real feed
// delivers it: in batches, with duplicates, late (out-of-order) events and a retried batch.
import { nodeEventInput, podEventInput, type TestPodEvent } from '../../../packages/testkit/src/caretaker.js';
import type { ClusterEventsInput } from '../src/generated/resolvers.js';

export const ORDERS_URN = 'dataos://workflow:retail/orders-ingest';
export const DEDUPE_URN = 'dataos://workflow:retail/customers-dedupe';

/** Events of the scenario, by resourceVersion (the cluster's own order). */
export function scenario(base: Date) {
  const at = (min: number) => new Date(base.getTime() + min * 60_000);
  const a = {
    namespace: 'retail',
    name: 'orders-ingest-1',
    urn: ORDERS_URN,
    owner: { kind: 'Job', name: 'orders-ingest-1' },
  };
  const b = {
    namespace: 'retail',
    name: 'customers-dedupe-1',
    urn: DEDUPE_URN,
    owner: { kind: 'Job', name: 'customers-dedupe-1' },
    memory: '6Gi',
  };
  const c = {
    namespace: 'retail',
    name: 'inventory-sync-1',
    labels: { app: 'inventory-sync', tier: 'backend' },
    owner: { kind: 'Deployment', name: 'inventory-sync' },
  };
  const e = {
    namespace: 'retail',
    name: 'orders-ingest-2',
    urn: ORDERS_URN,
    owner: { kind: 'Job', name: 'orders-ingest-2' },
    cpu: '1500m',
    memory: '2Gi',
  };
  const d = {
    namespace: 'finance',
    name: 'invoices-export-1',
    urn: 'dataos://workflow:finance/invoices-export',
    memory: '24Gi',
  };
  const pod = (e: TestPodEvent) => podEventInput(e);
  const events = {
    n10: nodeEventInput({ type: 'ADDED', rv: 10, at: at(0), name: 'node-1', cpu: '8', memory: '32Gi' }),
    n11: nodeEventInput({ type: 'ADDED', rv: 11, at: at(0), name: 'node-2', cpu: '4', memory: '16Gi' }),
    a12: pod({ ...a, type: 'ADDED', rv: 12, at: at(1), phase: 'PENDING' }),
    a13: pod({ ...a, rv: 13, at: at(1.1), phase: 'PENDING', node: 'node-1' }),
    b14: pod({ ...b, type: 'ADDED', rv: 14, at: at(2), phase: 'PENDING' }),
    a15: pod({ ...a, rv: 15, at: at(2.5), phase: 'RUNNING', node: 'node-1' }),
    b16: pod({ ...b, rv: 16, at: at(3), phase: 'RUNNING', node: 'node-2' }),
    c17: pod({ ...c, type: 'ADDED', rv: 17, at: at(4), phase: 'PENDING', node: 'node-1' }),
    b18: pod({
      ...b,
      rv: 18,
      at: at(5),
      phase: 'RUNNING',
      node: 'node-2',
      restarts: 1,
      ready: false,
      reason: 'CrashLoopBackOff',
    }),
    c19: pod({ ...c, rv: 19, at: at(5.5), phase: 'RUNNING', node: 'node-1' }),
    a20: pod({ ...a, rv: 20, at: at(9), phase: 'SUCCEEDED', node: 'node-1', ready: false }),
    b21: pod({ ...b, rv: 21, at: at(10), phase: 'RUNNING', node: 'node-2', restarts: 1 }),
    d22: pod({ ...d, type: 'ADDED', rv: 22, at: at(11), phase: 'PENDING', reason: 'Unschedulable' }),
    c30: pod({ ...c, type: 'DELETED', rv: 30, at: at(20), phase: 'RUNNING', node: 'node-1', ready: false }),
    n40: nodeEventInput({ rv: 40, at: at(25), name: 'node-2', cpu: '4', memory: '16Gi', memoryPressure: true }),
    b41: pod({
      ...b,
      rv: 41,
      at: at(26),
      phase: 'FAILED',
      node: 'node-2',
      restarts: 2,
      ready: false,
      reason: 'OOMKilled',
    }),
    e42: pod({ ...e, type: 'ADDED', rv: 42, at: at(27), phase: 'RUNNING', node: 'node-1' }),
  };
  type Key = keyof typeof events;
  const batch = (...keys: Key[]): ClusterEventsInput => ({
    nodes: keys.filter((k) => k.startsWith('n')).map((k) => events[k]) as never,
    pods: keys.filter((k) => !k.startsWith('n')).map((k) => events[k]) as never,
  });
  return {
    events,
    /** Delivery: duplicates inside and across batches, A's RUNNING (15) after its SUCCEEDED (20), a retried batch. */
    batches: [
      {
        input: batch('n10', 'n11', 'a12', 'a13', 'b14', 'a13'),
        expect: { received: 6, applied: 4, stale: 1, duplicates: 1, recorded: 5 },
      },
      {
        input: batch('b16', 'c17', 'a20', 'b18'),
        expect: { received: 4, applied: 3, stale: 1, duplicates: 0, recorded: 4 },
      },
      {
        input: batch('a15', 'c19', 'b21', 'a12'),
        expect: { received: 4, applied: 2, stale: 1, duplicates: 1, recorded: 3 },
      },
      {
        input: batch('c30', 'c19', 'n40', 'b41', 'd22', 'e42'),
        expect: { received: 6, applied: 5, stale: 0, duplicates: 1, recorded: 5 },
      },
      // The whole second batch again (a client retry after a timeout): nothing changes.
      {
        input: batch('b16', 'c17', 'a20', 'b18'),
        expect: { received: 4, applied: 0, stale: 0, duplicates: 4, recorded: 0 },
      },
    ],
    all: batch(...(Object.keys(events) as Key[])),
    at,
  };
}
