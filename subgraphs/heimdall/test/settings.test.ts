import { describe, expect, it } from 'vitest';
import { mongoFromEnv } from '@dataos/stores';
import { uniqueId } from '@dataos/testkit';
import { createHeimdallSubgraph } from '../src/index.js';

// The pure checks of every variable are in settings.unit.test.ts.
describe("Heimdall's settings", () => {
  it('stops the start on a typo, before touching the store', async () => {
    const mongo = await mongoFromEnv('HEIMDALL', uniqueId('heimdall_settings_'), {
      ...process.env,
      HEIMDALL_MONGO_DB: undefined,
    });
    process.env.HEIMDALL_DECISION_LOG_PER_REQUEST = '100O';
    try {
      await expect(createHeimdallSubgraph({ mongo })).rejects.toThrow(
        /^HEIMDALL_DECISION_LOG_PER_REQUEST must be an integer ≥ 1 \(got "100O"\)/,
      );
      expect(await mongo.db.listCollections().toArray()).toEqual([]);
    } finally {
      delete process.env.HEIMDALL_DECISION_LOG_PER_REQUEST;
      await mongo.db.dropDatabase();
      await mongo.close();
    }
  });
});
