import { settingsOrExit } from '@dataos/settings';
import { runUntilSignal } from '@dataos/subgraph-kit';
import { mongoFromEnv } from '@dataos/stores';
import { createHeimdallSubgraph } from './server.js';
import { heimdallMainSettings } from './settings.js';

// Settings first: every bad variable is named, before anything connects to the store.
const settings = settingsOrExit('heimdall', () => heimdallMainSettings());
const mongo = await mongoFromEnv('HEIMDALL', 'heimdall');
const subgraph = await createHeimdallSubgraph({ mongo, settings: settings.heimdall, kit: settings.kit });
const running = await subgraph.listen(settings.port);
runUntilSignal(async () => {
  await running.stop();
  await subgraph.close();
  await mongo.close();
}, subgraph.logger);
