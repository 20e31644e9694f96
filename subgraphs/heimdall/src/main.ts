import { runUntilSignal } from '@dataos/subgraph-kit';
import { mongoFromEnv } from '@dataos/stores';
import { createHeimdallSubgraph } from './server.js';

const mongo = await mongoFromEnv('HEIMDALL', 'heimdall');
const subgraph = await createHeimdallSubgraph({ mongo });
const running = await subgraph.listen(Number(process.env.PORT ?? 4001));
runUntilSignal(async () => {
  await running.stop();
  await subgraph.close();
  await mongo.close();
}, subgraph.logger);
