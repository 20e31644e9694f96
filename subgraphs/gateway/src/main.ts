import { settingsOrExit } from '@dataos/settings';
import { runUntilSignal } from '@dataos/subgraph-kit';
import { mongoFromEnv } from '@dataos/stores';
import { createGatewaySubgraph } from './server.js';
import { gatewaySettingsFromEnv } from './settings.js';

// Settings first: every bad variable is named, before anything connects to a store.
const settings = settingsOrExit('gateway', () => gatewaySettingsFromEnv());
const mongo = await mongoFromEnv('GATEWAY', 'gateway');
const subgraph = await createGatewaySubgraph({ mongo, settings });
const running = await subgraph.listen(settings.port);
runUntilSignal(async () => {
  await running.stop();
  await subgraph.close();
  await mongo.close();
}, subgraph.logger);
