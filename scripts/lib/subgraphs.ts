import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The subgraphs of the supergraph, with the default ports of DESIGN.md. */
export const SUBGRAPHS = [
  { name: 'heimdall', port: 4001 },
  { name: 'metis', port: 4002 },
  { name: 'odin', port: 4003 },
  { name: 'gateway', port: 4004 },
  { name: 'caretaker', port: 4005 },
] as const;

export type SubgraphName = (typeof SUBGRAPHS)[number]['name'];

export const schemaFile = (name: string) => `${REPO_ROOT}subgraphs/${name}/schema.graphql`;
export const SUPERGRAPH_FILE = `${REPO_ROOT}schema/supergraph.graphql`;
export const API_SCHEMA_FILE = `${REPO_ROOT}schema/api.graphql`;
