// The router in its own process for the router bench (settings from the environment:
// SUPERGRAPH_PATH with the authorization directives, HEIMDALL_URL, ...).
import { pino } from 'pino';
import { configFromEnv, startRouter } from '@dataos/router';

const router = await startRouter({ ...configFromEnv(), port: 0 }, pino({ level: 'silent' }));
process.on('message', (message) => {
  if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() });
});
process.send?.({ ready: router.url });
process.once('SIGTERM', () => void router.stop().finally(() => process.exit(0)));
