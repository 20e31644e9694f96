import { HeimdallClient } from '@dataos/heimdall-client';
import { CARETAKER_OPERATORS_POLICY, serveTestSubgraph, startTestHeimdall } from '@dataos/testkit';
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
  const heimdall = await startTestHeimdall({ policies: [CARETAKER_OPERATORS_POLICY] });
  const db = await testDb();
  const tmp = await tempDir();
  const caretaker = await createCaretakerSubgraph({
    mongo: db.mongo,
    heimdall: new HeimdallClient({ url: heimdall.url }),
    archive: new LocalFolderArchiveStore(tmp.dir),
  });
  const served = await serveTestSubgraph(
    caretaker,
    () => heimdall.stop(),
    () => db.drop(),
    () => tmp.remove(),
  );
  return { url: served.url, heimdallUrl: heimdall.url, caretaker, archiveDir: tmp.dir, stop: () => served.stop() };
}
