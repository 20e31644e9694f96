import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { CACHE_DIR } from './paths.js';

/**
 * Runs `build` only when the hash of its inputs changed since the last successful build,
 * so a second start of the devstack takes seconds.
 */
export async function cachedBuild(
  name: string,
  inputs: string[],
  outputs: string[],
  build: () => Promise<void>,
): Promise<'cached' | 'built'> {
  const hash = createHash('sha256');
  for (const file of inputs) hash.update(file).update(readFileSync(file));
  const digest = hash.digest('hex');
  const stampFile = `${CACHE_DIR}/${name}.stamp`;
  const fresh =
    existsSync(stampFile) && readFileSync(stampFile, 'utf8') === digest && outputs.every((o) => existsSync(o));
  if (fresh) return 'cached';
  await build();
  mkdirSync(CACHE_DIR, { recursive: true });
  writeFileSync(stampFile, digest);
  return 'built';
}
