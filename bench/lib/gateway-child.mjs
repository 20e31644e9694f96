// A competitor gateway of the router bench, in its own process, in plain JavaScript (no tsx:
// tsx turns on source maps, which would slow these gateways' stack traces and skew the bench).
// `gateway-child.mjs apollo-gateway|hive`; SUPERGRAPH_PATH names the supergraph without
// authorization directives.
import { readFile } from 'node:fs/promises';
import http from 'node:http';

const kind = process.argv[2];
const sdl = await readFile(process.env.SUPERGRAPH_PATH, 'utf8');

let url;
let stop;
if (kind === 'apollo-gateway') {
  // Stock: @apollo/gateway behind @apollo/server standalone, default settings.
  const { ApolloGateway } = await import('@apollo/gateway');
  const { ApolloServer } = await import('@apollo/server');
  const { startStandaloneServer } = await import('@apollo/server/standalone');
  const server = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl: sdl }) });
  ({ url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } }));
  stop = () => server.stop();
} else if (kind === 'hive') {
  process.env.LOG_LEVEL = 'error'; // Hive's logger refuses pino's "silent"
  const { createGatewayRuntime } = await import('@graphql-hive/gateway');
  const gateway = createGatewayRuntime({ supergraph: sdl, logging: false });
  const server = http.createServer(gateway);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${server.address().port}/graphql`;
  stop = async () => {
    await gateway.dispose();
    server.close();
    server.closeAllConnections();
  };
} else {
  throw new Error(`unknown gateway ${kind}`);
}
process.on('message', (message) => {
  if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() });
});
process.send?.({ ready: url });
process.once('SIGTERM', () => void stop().finally(() => process.exit(0)));
