import { readFileSync } from 'node:fs';
import { parse, type DocumentNode } from 'graphql';

/** Parses a subgraph's `schema.graphql`, the single source of truth for its SDL. */
export function loadTypeDefs(schemaFile: URL | string): DocumentNode {
  return parse(readFileSync(schemaFile, 'utf8'));
}
