import { DEV_CLIENTS } from '@dataos/devstack';

/**
 * Caretaker pushes the resources owning its pods to Metis as a service principal: in development,
 * the dev issuer's services client (Heimdall's seed policy `caretaker-resource-sync` lets it write
 * `/metis/resources/**`). A client set in the environment wins.
 */
export function caretakerMetisEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  if (env.CARETAKER_METIS_CLIENT_ID) return {};
  return { CARETAKER_METIS_CLIENT_ID: DEV_CLIENTS.services, CARETAKER_METIS_CLIENT_SECRET: DEV_CLIENTS.servicesSecret };
}
