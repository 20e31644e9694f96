import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CompositionError, composeSupergraph } from './lib/compose.js';
import { API_SCHEMA_FILE, SUPERGRAPH_FILE } from './lib/subgraphs.js';

// npm run compose: writes schema/supergraph.graphql (router) and schema/api.graphql (clients).
try {
  const { supergraphSdl, apiSdl, hints } = composeSupergraph();
  for (const hint of hints) console.warn(`hint: ${hint}`);
  mkdirSync(dirname(SUPERGRAPH_FILE), { recursive: true });
  writeFileSync(SUPERGRAPH_FILE, supergraphSdl);
  writeFileSync(API_SCHEMA_FILE, apiSdl);
  console.log('composed schema/supergraph.graphql and schema/api.graphql');
} catch (error) {
  if (!(error instanceof CompositionError)) throw error;
  console.error(error.message);
  process.exit(1);
}
