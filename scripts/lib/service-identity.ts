import { DEV_CLIENTS } from '@dataos/devstack';
import type { SubgraphName } from './subgraphs.js';

/**
 * Who calls whom, the architecture's hops (README, "Service identity"): the router calls every
 * subgraph; every subgraph asks Heimdall; Odin and the Gateway read Metis; Caretaker writes the
 * resources of its pods to Metis; Metis profiles datasets through the Gateway (and asks it which
 * columns a reader sees masked). Each subgraph trusts exactly its callers' clients, nothing else.
 */
export const CALLERS: Record<SubgraphName, readonly ('router' | SubgraphName)[]> = {
  heimdall: ['router', 'metis', 'odin', 'gateway', 'caretaker'],
  metis: ['router', 'odin', 'gateway', 'caretaker'],
  odin: ['router', 'gateway'],
  gateway: ['router', 'metis'],
  caretaker: ['router'],
};

/** The dev issuer's client of a service: the router's is its ROUTER_CLIENT_ID (`dataos-services`). */
export const devClientOf = (service: 'router' | SubgraphName) =>
  service === 'router'
    ? { clientId: DEV_CLIENTS.services, clientSecret: DEV_CLIENTS.servicesSecret }
    : DEV_CLIENTS.byService[service]!;

/** A subgraph's SERVICE_* variables against the dev issuer: its own client, its trusted callers, required. */
export function devServiceIdentityEnv(name: SubgraphName): Record<string, string> {
  const own = devClientOf(name);
  return {
    SERVICE_IDENTITY: 'required',
    SERVICE_CLIENT_ID: own.clientId,
    SERVICE_CLIENT_SECRET: own.clientSecret,
    SERVICE_TRUSTED_CALLERS: CALLERS[name].map((c) => devClientOf(c).clientId).join(','),
  };
}

/** The router's: required, as the dev issuer's services client (also its ROUTER_CLIENT_ID). */
export function devRouterIdentityEnv(): Record<string, string> {
  const own = devClientOf('router');
  return { SERVICE_IDENTITY: 'required', SERVICE_CLIENT_ID: own.clientId, SERVICE_CLIENT_SECRET: own.clientSecret };
}

/**
 * Whether `issuer` knows the per-service clients: a dev issuer started before they existed
 * (a long-running shared one) does not, and service identity then stays off rather than
 * failing every hop.
 */
export async function issuerHasServiceClients(issuer: string): Promise<boolean> {
  const { clientId, clientSecret } = devClientOf('odin');
  const res = await fetch(`${issuer.replace(/\/+$/, '')}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource: 'dataos-svc:metis' }),
    signal: AbortSignal.timeout(5000),
  }).catch(() => undefined);
  return res?.ok ?? false;
}
