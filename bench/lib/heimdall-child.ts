// Heimdall for the router benches, in its own process (its own database, dropped on SIGTERM):
// the bench process runs the load generator, and a Heimdall sharing its event loop answered
// the router late under load (past HEIMDALL_TIMEOUT_MS), which then denied protected fields.
import { createHeimdallSubgraph } from '@dataos/heimdall';
import { mongoFromEnv } from '@dataos/stores';

const database = process.argv[2];
if (!database) throw new Error('heimdall-child.ts <database>');
const mongo = await mongoFromEnv('HEIMDALL', database, { ...process.env, HEIMDALL_MONGO_DB: undefined });
const heimdall = await createHeimdallSubgraph({ mongo });
const running = await heimdall.listen(0);
process.on('message', (message) => {
  if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() });
});
process.send?.({ ready: running.url });
process.once('SIGTERM', () => {
  void (async () => {
    await running.stop().catch(() => undefined);
    await heimdall.close().catch(() => undefined);
    await mongo.db.dropDatabase().catch(() => undefined);
    await mongo.close().catch(() => undefined);
    process.exit(0);
  })();
});
