import { readFile } from 'node:fs/promises';
import { stripSecurityFeatures } from './strip-security.js';

export interface LoadedSupergraph {
  /** As composed: what the router's authorization reads. */
  sdl: string;
  /** What the query planner gets. */
  plannerSdl: string;
}

export async function loadSupergraph(path: string): Promise<LoadedSupergraph> {
  const sdl = await readFile(path, 'utf8');
  return { sdl, plannerSdl: stripSecurityFeatures(sdl) };
}
