// One gateway of the router bench, in its own process: `gateway-child.ts router|apollo-gateway|hive`.
// SUPERGRAPH_PATH names the supergraph (with authorization directives for the router, without
// for the others); the router also reads HEIMDALL_URL and its other settings from the environment.
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const kind = process.argv[2];
const supergraphPath = process.env.SUPERGRAPH_PATH!;

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

let url: string;
let stop: () => Promise<unknown>;
if (kind === 'router') {
  const { configFromEnv, startRouter } = await import('@dataos/router');
  const { pino } = await import('pino');
  const router = await startRouter({ ...configFromEnv(), port: 0 }, pino({ level: 'silent' }));
  url = router.url;
  stop = () => router.stop();
} else if (kind === 'apollo-gateway') {
  // Stock: @apollo/gateway and @apollo/server standalone, default settings.
  const { ApolloGateway } = await import('@apollo/gateway');
  const { ApolloServer } = await import('@apollo/server');
  const { startStandaloneServer } = await import('@apollo/server/standalone');
  const server = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl: await readFile(supergraphPath, 'utf8') }) });
  ({ url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } }));
  url = url.replace('localhost', '127.0.0.1');
  if (!url.endsWith('/graphql')) url = `${url.replace(/\/$/, '')}/graphql`;
  stop = () => server.stop();
} else if (kind === 'hive') {
  process.env.LOG_LEVEL = 'error'; // Hive's logger refuses pino's "silent"
  const { createGatewayRuntime } = await import('@graphql-hive/gateway');
  const gateway = createGatewayRuntime({ supergraph: await readFile(supergraphPath, 'utf8'), logging: false });
  const server = http.createServer(gateway);
  url = await listen(server);
  stop = async () => {
    await gateway.dispose();
    server.close();
    server.closeAllConnections();
  };
} else {
  throw new Error(`unknown gateway ${kind}`);
}
process.send?.({ ready: url });
process.once('SIGTERM', () => void stop().finally(() => process.exit(0)));
