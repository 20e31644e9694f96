/** Router settings, all from the environment (see README). */
export interface RouterConfig {
  port: number;
  host: string;
  supergraphPath: string;
  /** Subgraph URL overrides: SUBGRAPH_<NAME>_URL, e.g. SUBGRAPH_METIS_URL. */
  subgraphUrls: Record<string, string>;
  introspection: boolean;
  /** Client headers forwarded to subgraphs besides Authorization (lower-case names). */
  forwardHeaders: string[];
  corsOrigins: string[];
  subgraphTimeoutMs: number;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): RouterConfig {
  const subgraphUrls: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    const match = /^SUBGRAPH_([A-Z0-9_]+)_URL$/.exec(key);
    if (match && value) subgraphUrls[match[1]!.toLowerCase()] = value;
  }
  const list = (value: string | undefined) =>
    (value ?? '')
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
  return {
    port: Number(env.PORT ?? 4000),
    host: env.HOST ?? '127.0.0.1',
    supergraphPath: env.SUPERGRAPH_PATH ?? 'schema/supergraph.graphql',
    subgraphUrls,
    introspection: env.INTROSPECTION ? env.INTROSPECTION === 'true' : env.NODE_ENV !== 'production',
    forwardHeaders: list(env.FORWARD_HEADERS).map((h) => h.toLowerCase()),
    corsOrigins: env.CORS_ORIGINS
      ? list(env.CORS_ORIGINS)
      : ['https://studio.apollographql.com', 'http://localhost:4000', 'http://localhost:3000'],
    subgraphTimeoutMs: Number(env.SUBGRAPH_TIMEOUT_MS ?? 10_000),
  };
}
