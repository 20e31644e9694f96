import { runUntilSignal } from '@dataos/subgraph-kit';
import { neo4jFromEnv } from '@dataos/stores';
import { HeimdallClient } from '@dataos/heimdall-client';
import { createMetisSubgraph } from './server.js';

const neo4j = neo4jFromEnv('METIS');
const subgraph = await createMetisSubgraph({ neo4j, heimdall: new HeimdallClient() });
const running = await subgraph.listen(Number(process.env.PORT ?? 4002));
runUntilSignal(async () => {
  await running.stop();
  await neo4j.close();
}, subgraph.logger);
