import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevstack } from '@dataos/devstack';
import { composeSupergraph } from '../../packages/testkit/src/compose.js';
import { createPolicies } from '../../packages/testkit/src/policies.js';
import { startChild, type Child } from './processes.js';
import { BENCH_POLICY, SUBGRAPHS, SUBGRAPH_NAMES } from './synthetic.js';

/** What the router benches share: the devstack, a real Heimdall with the bench policy, three synthetic subgraphs. */
export interface SyntheticStack {
  /** A scratch folder, removed on stop. */
  dir: string;
  heimdallUrl: string;
  /** The composed supergraph (authorization directives included), also at `supergraphPath`. */
  sdl: string;
  supergraphPath: string;
  /** The three synthetic subgraphs' processes (their CPU is measured). */
  subgraphs: Child[];
  /** Child processes stopped with the stack: the subgraphs, and whatever the bench adds. */
  children: Child[];
  stop(): Promise<void>;
}

export async function startSyntheticStack(label: string): Promise<SyntheticStack> {
  const devstack = await startDevstack();
  Object.assign(process.env, devstack.env, { LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' });
  const dir = await mkdtemp(join(tmpdir(), `${label}-bench-`));
  const children: Child[] = [];
  const stop = async () => {
    await Promise.all(children.map((c) => c.stop()));
    await rm(dir, { recursive: true, force: true });
    await devstack.stop();
  };
  try {
    // Heimdall in its own process, as deployed: not behind the load generator on one event loop.
    const heimdall = await startChild(
      new URL('./heimdall-child.ts', import.meta.url),
      [`heimdall_bench_${label}_${Date.now()}`],
      // Heimdall verifies the dev issuer's tokens, which it refuses over plain http in production.
      { NODE_ENV: 'development' },
    );
    children.push(heimdall);
    await createPolicies(heimdall.url, [
      { name: BENCH_POLICY, subjects: [['roles:id:data-dev']], actions: ['read'], objects: { paths: ['/bench/**'] } },
    ]);
    const subgraphs = await Promise.all(
      SUBGRAPH_NAMES.map((name) => startChild(new URL('./subgraph-child.ts', import.meta.url), [name])),
    );
    children.push(...subgraphs);
    const sdl = composeSupergraph(
      SUBGRAPH_NAMES.map((name, i) => ({ name, url: subgraphs[i]!.url, typeDefs: SUBGRAPHS[name].typeDefs })),
    );
    const supergraphPath = join(dir, 'supergraph.graphql');
    await writeFile(supergraphPath, sdl);
    return { dir, heimdallUrl: heimdall.url, sdl, supergraphPath, subgraphs, children, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
