import { settingsOrExit } from '@dataos/settings';
import { runUntilSignal } from '@dataos/subgraph-kit';
import { neo4jFromEnv } from '@dataos/stores';
import { HeimdallClient } from '@dataos/heimdall-client';
import { createMetisSubgraph } from './server.js';
import { metisSettingsFromEnv } from './settings.js';

// Settings first: every bad variable is named, before anything connects to a store.
const settings = settingsOrExit('metis', () => metisSettingsFromEnv());
const neo4j = neo4jFromEnv('METIS');
const subgraph = await createMetisSubgraph({ neo4j, heimdall: new HeimdallClient(settings.heimdall), settings });
const running = await subgraph.listen(settings.port);
runUntilSignal(async () => {
  await running.stop();
  await neo4j.close();
}, subgraph.logger);
