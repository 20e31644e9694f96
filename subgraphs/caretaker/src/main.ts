import { runUntilSignal } from '@dataos/subgraph-kit';
import { mongoFromEnv } from '@dataos/stores';
import { createCaretakerSubgraph } from './server.js';

const mongo = await mongoFromEnv('CARETAKER', 'caretaker');
const subgraph = await createCaretakerSubgraph({ mongo });
const running = await subgraph.listen(Number(process.env.PORT ?? 4005));
runUntilSignal(async () => {
  await running.stop();
  await mongo.close();
}, subgraph.logger);
