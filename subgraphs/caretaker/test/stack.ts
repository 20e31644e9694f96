import { HeimdallClient } from '@dataos/heimdall-client';
import { CARETAKER_OPERATORS_POLICY, serveTestSubgraph, startTestHeimdall } from '@dataos/testkit';
import { LocalFolderArchiveStore, type ArchiveStore } from '../src/archive/store.js';
import { createCaretakerSubgraph, type CaretakerSubgraph } from '../src/server.js';
import { tempDir, testDb } from './db.js';
import { testBucket } from './s3.js';

export interface Stack {
  url: string;
  heimdallUrl: string;
  caretaker: CaretakerSubgraph;
  /** A temporary folder (the archive unless `archive: 's3'`). */
  archiveDir: string;
  archive: ArchiveStore;
  stop(): Promise<void>;
}

/**
 * Caretaker on an ephemeral port with Heimdall in process (its own database), the policy
 * `caretaker-operators` created through Heimdall's API as carol, and the archive in a temporary
 * folder or, with `archive: 's3'`, in a bucket of its own on the devstack's S3 server.
 */
export async function startStack(options: { archive?: 'folder' | 's3' } = {}): Promise<Stack> {
  const heimdall = await startTestHeimdall({ policies: [CARETAKER_OPERATORS_POLICY] });
  const db = await testDb();
  const tmp = await tempDir();
  const bucket = options.archive === 's3' ? await testBucket() : undefined;
  const archive = bucket ? await bucket.store() : new LocalFolderArchiveStore(tmp.dir);
  const caretaker = await createCaretakerSubgraph({
    mongo: db.mongo,
    heimdall: new HeimdallClient({ url: heimdall.url }),
    archive,
  });
  const served = await serveTestSubgraph(
    caretaker,
    () => heimdall.stop(),
    () => db.drop(),
    () => tmp.remove(),
    async () => bucket?.remove(),
  );
  return {
    url: served.url,
    heimdallUrl: heimdall.url,
    caretaker,
    archiveDir: tmp.dir,
    archive,
    stop: () => served.stop(),
  };
}
