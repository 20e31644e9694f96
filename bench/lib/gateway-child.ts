// The router in its own process for the router bench (settings from the environment:
// SUPERGRAPH_PATH with the authorization directives, HEIMDALL_URL, ...).
import { pino } from 'pino';
import { DEV_CLIENTS } from '@dataos/devstack';
import { configFromEnv, startRouter } from '@dataos/router';

// The router asks Heimdall as itself (the dev issuer's services client) unless told otherwise.
const env = {
  ROUTER_CLIENT_ID: DEV_CLIENTS.services,
  ROUTER_CLIENT_SECRET: DEV_CLIENTS.servicesSecret,
  ...process.env,
};
const router = await startRouter({ ...configFromEnv(env), port: 0 }, pino({ level: 'silent' }));
process.on('message', (message) => {
  if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() });
});
process.send?.({ ready: router.url });
process.once('SIGTERM', () => void router.stop().finally(() => process.exit(0)));
