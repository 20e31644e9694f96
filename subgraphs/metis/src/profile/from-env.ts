import { ServiceTokenSource } from '@dataos/heimdall-client';
import type { Logger } from '@dataos/subgraph-kit';
import { GatewayClient } from './gateway.js';

export interface ProfileGateway {
  gateway: GatewayClient;
  /** Metis's own access token for the Gateway's Authorization (its service principal). */
  token: () => Promise<string>;
}

/**
 * The Gateway as a deployed Metis reaches it: its service client (SERVICE_CLIENT_ID,
 * SERVICE_CLIENT_SECRET, OIDC_ISSUER, OIDC_AUDIENCE), with a service token for the Gateway's hop
 * beside it. Undefined (profiling off) without a Gateway URL or a client.
 */
export function profileGatewayFromEnv(
  url: string | undefined,
  logger: Pick<Logger, 'warn'>,
  env: NodeJS.ProcessEnv = process.env,
): ProfileGateway | undefined {
  const { SERVICE_CLIENT_ID: clientId, SERVICE_CLIENT_SECRET: clientSecret, OIDC_ISSUER: issuer } = env;
  if (!url || !clientId || !clientSecret || !issuer) return undefined;
  const options = { timeoutMs: 5000, log: (details: object, message: string) => logger.warn(details, message) };
  const user = new ServiceTokenSource(
    { clientId, clientSecret, issuer, resource: env.OIDC_AUDIENCE ?? 'urn:dataos:supergraph' },
    options,
  );
  const hop = new ServiceTokenSource({ clientId, clientSecret, issuer, resource: 'dataos-svc:gateway' }, options);
  return {
    gateway: new GatewayClient({
      url,
      headers: async () => ({ 'x-service-authorization': `Bearer ${await hop.token()}` }),
    }),
    token: () => user.token(),
  };
}
