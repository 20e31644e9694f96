import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse, type DocumentNode } from 'graphql';

export interface SubgraphDefinition {
  name: string;
  url: string;
  typeDefs: string | DocumentNode;
}

/** The supergraph SDL of these subgraphs, as `npm run compose` would write it; throws on composition errors. */
export function composeSupergraph(subgraphs: SubgraphDefinition[]): string {
  const result = composeServices(
    subgraphs.map((s) => ({
      name: s.name,
      url: s.url,
      typeDefs: typeof s.typeDefs === 'string' ? parse(s.typeDefs) : s.typeDefs,
    })),
  );
  if (result.errors) throw new Error(`composition failed: ${result.errors.map((e) => e.message).join('; ')}`);
  return result.supergraphSdl;
}

export interface SupergraphFile {
  path: string;
  dir: string;
  /** Replaces the file's content (as a deploy would, by writing a new file and renaming it over). */
  write(sdl: string): Promise<void>;
  remove(): Promise<void>;
}

/** A supergraph in a temporary folder, for a router under test to load and reload. */
export async function writeSupergraphFile(sdl: string): Promise<SupergraphFile> {
  const dir = await mkdtemp(join(tmpdir(), 'supergraph-'));
  const path = join(dir, 'supergraph.graphql');
  let n = 0;
  const write = async (text: string) => {
    const next = join(dir, `.next-${n++}.graphql`);
    await writeFile(next, text);
    await rename(next, path);
  };
  await writeFile(path, sdl);
  return { path, dir, write, remove: () => rm(dir, { recursive: true, force: true }) };
}
