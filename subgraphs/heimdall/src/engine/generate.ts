import type { PolicyDefinition } from './types.js';

/** Deterministic pseudo-random numbers (mulberry32), so generated policy sets are reproducible. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const ROLES = Array.from({ length: 30 }, (_, i) => `role${i}`);

/**
 * A realistic large policy set for benches and equivalence tests: dataset, collection and depot
 * grants over 50 depots, API paths, a few broad `**` grants, tag-object policies, about 5% deny.
 */
export function generatePolicies(count: number, seed = 7): PolicyDefinition[] {
  const r = random(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(r() * list.length)]!;
  const subject = () =>
    r() < 0.8
      ? [[`roles:id:${pick(ROLES)}`]]
      : [[`users:id:user${Math.floor(r() * 200)}`], [`roles:id:${pick(ROLES)}`, 'groups:id:g1']];
  const policies: PolicyDefinition[] = [];
  for (let i = 0; i < count; i++) {
    const depot = `depot${Math.floor(r() * 50)}`;
    const coll = `coll${Math.floor(r() * 20)}`;
    const kind = r();
    const paths =
      kind < 0.6
        ? [`dataos://${depot}:${coll}/dataset${Math.floor(r() * 1000)}`]
        : kind < 0.8
          ? [`dataos://${depot}:${coll}/**`]
          : kind < 0.9
            ? [
                `/${pick(['metis', 'odin', 'gateway', 'caretaker'])}/${pick(['datasets', 'concepts', 'pods', 'queries'])}/*`,
              ]
            : kind < 0.905
              ? ['dataos://**']
              : [];
    const tags = paths.length === 0 ? [`dataos:domain:${pick(['retail', 'finance', 'marketing', 'hr'])}`] : [];
    policies.push({
      name: `p${i}`,
      effect: r() < 0.05 ? 'deny' : 'allow',
      subjects: subject(),
      actions: r() < 0.1 ? ['*'] : [pick(['read', 'write', 'create', 'delete'])],
      objects: { paths, tags },
    });
  }
  return policies;
}

/** A check of the kind the generated policies answer. */
export function generateCheck(r: () => number) {
  const depot = `depot${Math.floor(r() * 50)}`;
  const coll = `coll${Math.floor(r() * 20)}`;
  const roles = Array.from({ length: 3 }, () => `roles:id:role${Math.floor(r() * 30)}`);
  return {
    subject: { id: 'users:id:user1', tags: ['users:id:user1', 'groups:id:g1', ...roles], claims: {} },
    action: ['read', 'write', 'create', 'delete'][Math.floor(r() * 4)]!,
    object:
      r() < 0.9
        ? {
            path: `dataos://${depot}:${coll}/dataset${Math.floor(r() * 1000)}`,
            tags: r() < 0.3 ? ['dataos:domain:retail'] : [],
          }
        : { path: `/metis/datasets/${Math.floor(r() * 100)}` },
  };
}
