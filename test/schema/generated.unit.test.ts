import { readFileSync } from 'node:fs';
import { generate } from '@graphql-codegen/cli';
import { Source } from 'graphql';
import { describe, expect, it } from 'vitest';
import config from '../../codegen.js';
import { CompositionError, composeSupergraph } from '../../scripts/lib/compose.js';
import { API_SCHEMA_FILE, REPO_ROOT, SUPERGRAPH_FILE } from '../../scripts/lib/subgraphs.js';

describe('composition', () => {
  it('the committed supergraph and API schema match the subgraph schemas (run `npm run compose`)', () => {
    const { supergraphSdl, apiSdl } = composeSupergraph();
    expect(readFileSync(SUPERGRAPH_FILE, 'utf8')).toBe(supergraphSdl);
    expect(readFileSync(API_SCHEMA_FILE, 'utf8')).toBe(apiSdl);
  });

  it('keeps the authorization directives in the supergraph but not in the client-facing schema', () => {
    const { supergraphSdl, apiSdl } = composeSupergraph();
    expect(supergraphSdl).toMatch(/whoami: Subject! @join__field\(graph: HEIMDALL\) @authenticated/);
    expect(apiSdl).not.toContain('@authenticated');
    expect(apiSdl).not.toContain('join__');
  });

  it('names the subgraph and the location of a composition error', () => {
    const sdl = (type: string) => `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])
type Query { a: A }
type A @key(fields: "id") { id: ID! size: ${type} }`;
    const compose = () =>
      composeSupergraph([
        { name: 'one', url: 'http://one', source: new Source(sdl('Int'), 'subgraphs/one/schema.graphql') },
        { name: 'two', url: 'http://two', source: new Source(sdl('String'), 'subgraphs/two/schema.graphql') },
      ]);
    expect(compose).toThrow(CompositionError);
    try {
      compose();
    } catch (error) {
      const message = (error as CompositionError).message;
      expect(message).toContain('FIELD_TYPE_MISMATCH');
      expect(message).toMatch(/subgraphs\/one\/schema\.graphql:3:\d+/);
      expect(message).toMatch(/subgraphs\/two\/schema\.graphql:3:\d+/);
    }
  });

  it('reports a syntax error with its file, line and column', () => {
    expect(() =>
      composeSupergraph([{ name: 'bad', url: 'http://bad', source: new Source('type Query {\n  a: \n}', 'bad.graphql') }]),
    ).toThrow(/\[bad\] Syntax Error.*bad\.graphql:3:1/s);
  });
});

describe('codegen', () => {
  it('the committed generated files match codegen.ts (run `npm run codegen`)', async () => {
    const outputs = await generate({ ...config, cwd: REPO_ROOT }, false);
    expect(outputs.length).toBeGreaterThanOrEqual(6);
    for (const { filename, content } of outputs) {
      expect(readFileSync(`${REPO_ROOT}${filename}`, 'utf8'), filename).toBe(content);
    }
  });
});
