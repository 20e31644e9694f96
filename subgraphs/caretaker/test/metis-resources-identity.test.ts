import { DEV_CLIENTS, startIssuer, type RunningIssuer } from '@dataos/devstack';
import { HeimdallClient, ServiceTokenSource } from '@dataos/heimdall-client';
import { createMetisSubgraph } from '@dataos/metis';
import { ServiceCaller } from '@dataos/service-identity';
import { neo4jFromEnv } from '@dataos/stores';
import { kitSettingsFromEnv } from '@dataos/subgraph-kit';
import { podEventInput, serveTestSubgraph, startTestHeimdall, uniqueId, type ServedSubgraph } from '@dataos/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPolicy } from '../../../packages/testkit/src/caretaker.js';
import { metisSettingsFromEnv } from '../../metis/src/settings.js';
import { CALLERS, devClientOf } from '../../../scripts/lib/service-identity.js';
import { MetisResourceSync } from '../src/metis/sync.js';
import { MetisResourceWriter } from '../src/metis/writer.js';
import { ingestEvents } from '../src/store/ingest.js';
import { eventsFromInput } from '../src/validate.js';
import { testDb } from './db.js';

/**
 * The push through a Metis that requires service identity (as in compose and npm run dev), with
 * Caretaker's own dev client: a dev issuer of this file's own, since the shared one may predate
 * the per-service clients.
 */
const neo4j = neo4jFromEnv('METIS');
const id = uniqueId('ri');
const caretakerClient = DEV_CLIENTS.byService.caretaker!;
let issuer: RunningIssuer;
let metis: Pick<ServedSubgraph<never>, 'url' | 'stop'>;
let heimdallStop: () => Promise<void>;
let dropDb: () => Promise<void>;

beforeAll(async () => {
  issuer = await startIssuer({ port: 0 });
  process.env.OIDC_ISSUER = issuer.issuer;
  const heimdall = await startTestHeimdall({
    policies: [seedPolicy('caretaker-resource-sync'), seedPolicy('metis-api-users')],
  });
  heimdallStop = () => heimdall.stop();
  const settings = metisSettingsFromEnv();
  metis = await serveTestSubgraph(
    await createMetisSubgraph({
      neo4j,
      heimdall: new HeimdallClient({ url: heimdall.url, serviceCaller: null }),
      settings: {
        ...settings,
        kit: kitSettingsFromEnv({
          ...process.env,
          SERVICE_IDENTITY: 'required',
          // Metis's callers in npm run dev (and compose): Caretaker's client among them.
          SERVICE_TRUSTED_CALLERS: CALLERS.metis.map((c) => devClientOf(c).clientId).join(','),
        }),
      },
    }),
  );
});
afterAll(async () => {
  await dropDb?.();
  await metis?.stop();
  await heimdallStop?.();
  await issuer?.stop();
  await neo4j.driver.executeQuery('MATCH (r:Resource) WHERE r.urn CONTAINS $id DETACH DELETE r', { id });
  await neo4j.close();
});

describe('Caretaker → Metis with SERVICE_IDENTITY=required at Metis', () => {
  it("is refused without Caretaker's service token, and pushes with it (X-Service-Authorization)", async () => {
    const db = await testDb();
    dropDb = db.drop;
    const at = new Date();
    const pods = [`dataos://workflow:${id}/w1`, `dataos://service:${id}/s1`].map((urn, i) =>
      podEventInput({ namespace: id, name: `p${i}`, rv: i + 1, at, phase: 'RUNNING', urn }),
    );
    await ingestEvents(db.c, eventsFromInput({ pods: pods as never, nodes: [] }, at), at);

    const own = { ...caretakerClient, issuer: issuer.issuer };
    const tokens = new ServiceTokenSource(
      { ...own, resource: process.env.OIDC_AUDIENCE! },
      { timeoutMs: 5000, log: () => {} },
    );
    const caller = new ServiceCaller({ ...own, log: () => {} });
    const base = { url: metis.url, token: () => tokens.token(), backoffMs: 10 };

    const refused = await new MetisResourceSync(db.c, new MetisResourceWriter(base)).run();
    expect(refused.pushed).toBe(0);
    expect(refused.failed.map((f) => f.code)).toEqual(['UNTRUSTED_CALLER', 'UNTRUSTED_CALLER']);

    const writer = new MetisResourceWriter({ ...base, headers: () => caller.headers('metis') });
    expect(await new MetisResourceSync(db.c, writer).run()).toMatchObject({ pushed: 2, failed: [] });
  });
});
