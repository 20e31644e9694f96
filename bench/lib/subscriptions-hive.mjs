// Hive Gateway for the subscriptions bench, in its own process, plain JavaScript (as
// gateway-child.mjs): SUPERGRAPH_PATH names the supergraph; subscriptions go to the subgraphs over
// graphql-ws, clients read them as Server-Sent Events (GraphQL Yoga's own, distinct connections).
import { readFile } from 'node:fs/promises';
import http from 'node:http';

process.env.LOG_LEVEL = 'error'; // Hive's logger refuses pino's "silent"
const { createGatewayRuntime } = await import('@graphql-hive/gateway');
const sdl = await readFile(process.env.SUPERGRAPH_PATH, 'utf8');
const gateway = createGatewayRuntime({
  supergraph: sdl,
  logging: false,
  transportEntries: { '*.http': { options: { subscriptions: { kind: 'ws', location: '/graphql' } } } },
});
const server = http.createServer(gateway);
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
process.on('message', (message) => {
  if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() });
});
process.send?.({ ready: `http://127.0.0.1:${server.address().port}/graphql` });
process.once('SIGTERM', () => {
  void Promise.resolve(gateway.dispose()).finally(() => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
});
