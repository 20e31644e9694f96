import { createHeimdallSubgraph } from '@dataos/heimdall';
import { HeimdallClient } from '@dataos/heimdall-client';
import { mongoFromEnv } from '@dataos/stores';
import { CARETAKER_OPERATORS_POLICY, createPolicies, uniqueId } from '@dataos/testkit';
import { LocalFolderArchiveStore } from '../src/archive/store.js';
import { createCaretakerSubgraph, type CaretakerSubgraph } from '../src/server.js';
import { tempDir, testDb } from './db.js';

export interface Stack {
  url: string;
  heimdallUrl: string;
  caretaker: CaretakerSubgraph;
  archiveDir: string;
  stop(): Promise<void>;
}

/**
 * Caretaker on an ephemeral port with Heimdall in process (its own database), the policy
 * `caretaker-operators` created through Heimdall's API as carol, and a temporary archive folder.
 */
export async function startStack(): Promise<Stack> {
  const heimdallMongo = await mongoFromEnv('HEIMDALL', uniqueId('heimdall_test_'), { ...process.env, HEIMDALL_MONGO_DB: undefined });
  const heimdall = await createHeimdallSubgraph({ mongo: heimdallMongo, pollMs: 100 });
  const heimdallRunning = await heimdall.listen(0);
  await createPolicies(heimdallRunning.url, [CARETAKER_OPERATORS_POLICY]);
  const db = await testDb();
  const tmp = await tempDir();
  const caretaker = await createCaretakerSubgraph({
    mongo: db.mongo,
    heimdall: new HeimdallClient({ url: heimdallRunning.url }),
    archive: new LocalFolderArchiveStore(tmp.dir),
  });
  const running = await caretaker.listen(0);
  return {
    url: running.url,
    heimdallUrl: heimdallRunning.url,
    caretaker,
    archiveDir: tmp.dir,
    async stop() {
      await running.stop();
      await heimdallRunning.stop();
      await heimdall.close();
      await db.drop();
      await heimdallMongo.db.dropDatabase();
      await heimdallMongo.close();
      await tmp.remove();
    },
  };
}
