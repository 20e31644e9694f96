export interface ServiceHealth {
  name: string;
  url: string;
  ok: boolean;
  /** How it was asked: its `/health` route, or `{ __typename }` at its GraphQL endpoint. */
  probe: 'health' | 'graphql';
  error?: string;
}

export interface RouterHealth {
  status: 'ok' | 'degraded' | 'loading';
  /** Names of what does not answer: subgraphs, and `heimdall` when authorization needs it. */
  missing: string[];
  supergraph: { loaded: boolean; loadedAt?: string };
  subgraphs: ServiceHealth[];
  heimdall?: ServiceHealth;
}

/**
 * How a subgraph is asked whether it is up (SUBGRAPH_HEALTH_PROBE): `health`, its `/health` next
 * to `/graphql`; `graphql`, a `{ __typename }` query, which every subgraph answers; `auto`, the
 * first and, where there is no such route (404, 405), the second, so any supergraph works.
 */
export type HealthProbe = 'auto' | 'health' | 'graphql';

const failure = (error: unknown): string =>
  (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message ?? String(error);

async function healthRoute(url: string, timeoutMs: number): Promise<Response> {
  const res = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(timeoutMs) });
  await res.body?.cancel();
  return res;
}

async function typenameQuery(url: string, timeoutMs: number): Promise<string | undefined> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: '{"query":"query RouterHealthProbe { __typename }"}',
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!res.ok) {
    await res.body?.cancel();
    return `HTTP ${res.status}`;
  }
  const body = (await res.json().catch(() => undefined)) as { data?: { __typename?: unknown } } | undefined;
  return typeof body?.data?.__typename === 'string' ? undefined : 'no GraphQL answer';
}

async function check(name: string, url: string, probe: HealthProbe, timeoutMs: number): Promise<ServiceHealth> {
  try {
    if (probe !== 'graphql') {
      const res = await healthRoute(url, timeoutMs);
      if (res.ok) return { name, url, ok: true, probe: 'health' };
      if (probe === 'health' || (res.status !== 404 && res.status !== 405))
        return { name, url, ok: false, probe: 'health', error: `HTTP ${res.status}` };
    }
    const error = await typenameQuery(url, timeoutMs);
    return error ? { name, url, ok: false, probe: 'graphql', error } : { name, url, ok: true, probe: 'graphql' };
  } catch (error) {
    return { name, url, ok: false, probe: probe === 'graphql' ? 'graphql' : 'health', error: failure(error) };
  }
}

export interface HealthSources {
  /** The subgraphs of the supergraph in use (none before it is loaded). */
  subgraphs(): { name: string; url: string }[];
  /** Heimdall's URL when the supergraph in use needs it for authorization. */
  heimdallUrl(): string | undefined;
  /** When the supergraph in use was loaded; undefined while none is. */
  loadedAt(): Date | undefined;
}

export interface HealthOptions {
  probe?: HealthProbe;
  timeoutMs?: number;
  /** How long one answer serves every caller (HEALTH_CACHE_MS): `/health` is anonymous, and each
   * check asks every subgraph, so a flood of probes must not become a flood of subgraph calls. */
  cacheMs?: number;
}

/** Readiness of the router: the supergraph is loaded, every subgraph answers and, where needed, Heimdall. */
export class HealthMonitor {
  private last?: { at: number; health: Promise<RouterHealth> };

  constructor(
    private readonly sources: HealthSources,
    private readonly options: HealthOptions = {},
  ) {}

  current(now = Date.now()): Promise<RouterHealth> {
    const cacheMs = this.options.cacheMs ?? 1000;
    if (this.last && now - this.last.at < cacheMs) return this.last.health;
    const health = this.check();
    this.last = { at: now, health };
    return health;
  }

  private async check(): Promise<RouterHealth> {
    const { probe = 'auto', timeoutMs = 2000 } = this.options;
    const loadedAt = this.sources.loadedAt();
    const heimdallUrl = this.sources.heimdallUrl();
    const [subgraphs, heimdall] = await Promise.all([
      Promise.all(this.sources.subgraphs().map(({ name, url }) => check(name, url, probe, timeoutMs))),
      heimdallUrl ? check('heimdall', heimdallUrl, probe, timeoutMs) : Promise.resolve(undefined),
    ]);
    const missing = subgraphs.filter((c) => !c.ok).map((c) => c.name);
    if (heimdall && !heimdall.ok && !missing.includes('heimdall')) missing.push('heimdall');
    return {
      status: !loadedAt ? 'loading' : missing.length === 0 ? 'ok' : 'degraded',
      missing,
      supergraph: loadedAt ? { loaded: true, loadedAt: loadedAt.toISOString() } : { loaded: false },
      subgraphs,
      ...(heimdall ? { heimdall } : {}),
    };
  }
}
