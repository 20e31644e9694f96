export interface ServiceHealth {
  name: string;
  url: string;
  ok: boolean;
  error?: string;
}

export interface RouterHealth {
  status: 'ok' | 'degraded';
  /** Names of what does not answer: subgraphs, and `heimdall` when authorization needs it. */
  missing: string[];
  subgraphs: ServiceHealth[];
  heimdall?: ServiceHealth;
}

/** A service's /health next to its /graphql, with a short timeout. */
async function check(name: string, url: string, timeoutMs: number): Promise<ServiceHealth> {
  const healthUrl = new URL('/health', url).toString();
  try {
    const res = await fetch(healthUrl, { signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
    return res.ok ? { name, url, ok: true } : { name, url, ok: false, error: `HTTP ${res.status}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { name, url, ok: false, error: cause ?? (error as Error).message };
  }
}

/** Each subgraph's /health, in parallel, with a short timeout. */
export async function checkSubgraphs(subgraphs: { name: string; url: string }[], timeoutMs = 2000): Promise<ServiceHealth[]> {
  return Promise.all(subgraphs.map(({ name, url }) => check(name, url, timeoutMs)));
}

/**
 * Ready only when every subgraph answers and, when the supergraph has authorization
 * directives, Heimdall too.
 */
export async function routerHealth(
  subgraphs: { name: string; url: string }[],
  heimdallUrl: string | undefined,
  timeoutMs = 2000,
): Promise<RouterHealth> {
  const [checks, heimdall] = await Promise.all([
    checkSubgraphs(subgraphs, timeoutMs),
    heimdallUrl ? check('heimdall', heimdallUrl, timeoutMs) : Promise.resolve(undefined),
  ]);
  const missing = checks.filter((c) => !c.ok).map((c) => c.name);
  if (heimdall && !heimdall.ok && !missing.includes('heimdall')) missing.push('heimdall');
  return {
    status: missing.length === 0 ? 'ok' : 'degraded',
    missing,
    subgraphs: checks,
    ...(heimdall ? { heimdall } : {}),
  };
}
