import { runUntilSignal } from '@dataos/subgraph-kit';
import { mongoFromEnv } from '@dataos/stores';
import { createGatewaySubgraph } from './server.js';

const mongo = await mongoFromEnv('GATEWAY', 'gateway');
const subgraph = await createGatewaySubgraph({ mongo });
const running = await subgraph.listen(Number(process.env.PORT ?? 4004));
runUntilSignal(async () => {
  await running.stop();
  await subgraph.close();
  await mongo.close();
}, subgraph.logger);
