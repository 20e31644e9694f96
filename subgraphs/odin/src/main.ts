import { settingsOrExit } from '@dataos/settings';
import { runUntilSignal } from '@dataos/subgraph-kit';
import { neo4jFromEnv } from '@dataos/stores';
import { createOdinSubgraph } from './server.js';
import { odinSettingsFromEnv } from './settings.js';

// Settings first: every bad variable is named, before anything connects to a store.
const settings = settingsOrExit('odin', () => odinSettingsFromEnv());
const neo4j = neo4jFromEnv('ODIN');
const subgraph = await createOdinSubgraph({ neo4j, settings });
const running = await subgraph.listen(settings.port);
runUntilSignal(async () => {
  await running.stop();
  await neo4j.close();
}, subgraph.logger);
