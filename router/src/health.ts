export interface SubgraphHealth {
  name: string;
  url: string;
  ok: boolean;
  error?: string;
}

/** Each subgraph's /health, in parallel, with a short timeout. */
export async function checkSubgraphs(subgraphs: { name: string; url: string }[]): Promise<SubgraphHealth[]> {
  return Promise.all(
    subgraphs.map(async ({ name, url }) => {
      const healthUrl = new URL('/health', url).toString();
      try {
        const res = await fetch(healthUrl, { signal: AbortSignal.timeout(2000) });
        return res.ok ? { name, url, ok: true } : { name, url, ok: false, error: `HTTP ${res.status}` };
      } catch (error) {
        return { name, url, ok: false, error: (error as Error).message };
      }
    }),
  );
}
