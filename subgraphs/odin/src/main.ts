import { runUntilSignal } from '@dataos/subgraph-kit';
import { neo4jFromEnv } from '@dataos/stores';
import { createOdinSubgraph } from './server.js';

const neo4j = neo4jFromEnv('ODIN');
const subgraph = await createOdinSubgraph({ neo4j });
const running = await subgraph.listen(Number(process.env.PORT ?? 4003));
runUntilSignal(async () => {
  await running.stop();
  await neo4j.close();
}, subgraph.logger);
