import { readFile } from 'node:fs/promises';
import { acceptContextFeature } from '../apollo/context-feature.js';
import { stripSecurityFeatures } from './strip-security.js';

export interface LoadedSupergraph {
  /** As composed: what the router's authorization reads. */
  sdl: string;
  /** What the query planner gets. */
  plannerSdl: string;
}

export async function loadSupergraph(path: string): Promise<LoadedSupergraph> {
  const sdl = await readFile(path, 'utf8');
  return { sdl, plannerSdl: acceptContextFeature(stripSecurityFeatures(sdl)) };
}
