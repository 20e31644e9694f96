import { describe, expect, it } from 'vitest';
import { metisResources } from '../src/metis/resources.js';
import { mainSettings } from '../src/settings.js';

describe('resources Caretaker tells Metis about', () => {
  it('one per canonical URN, either form, sorted; identity fields only', () => {
    const { resources, skipped } = metisResources([
      'dataos://workflow:retail/orders-ingest',
      'resource://workflow/retail/orders-ingest',
      'dataos://Service:retail/order-events-sink',
      null,
      'dataos://cluster:system/minerva-retail',
    ]);
    expect(resources.map((r) => [r.urn, r.input])).toEqual([
      ['dataos://cluster:system/minerva-retail', { kind: 'CLUSTER', workspace: 'system', name: 'minerva-retail' }],
      [
        'dataos://service:retail/order-events-sink',
        { kind: 'SERVICE', workspace: 'retail', name: 'order-events-sink' },
      ],
      ['dataos://workflow:retail/orders-ingest', { kind: 'WORKFLOW', workspace: 'retail', name: 'orders-ingest' }],
    ]);
    expect(skipped).toEqual([]);
    // The fingerprint follows the input: same input, same fingerprint.
    expect(resources[2]!.fingerprint).toBe(
      metisResources(['dataos://workflow:retail/orders-ingest']).resources[0]!.fingerprint,
    );
    expect(resources[2]!.fingerprint).not.toBe(resources[1]!.fingerprint);
  });

  it('skips what Metis would refuse, with the reason', () => {
    expect(
      metisResources([
        'opaque-id',
        'dataos://lakehouse:retail/icebase',
        'dataos://workflow:Retail/x',
        'dataos://workflow:retail/a/b',
      ]).skipped,
    ).toEqual([
      { urn: 'dataos://lakehouse:retail/icebase', reason: 'Metis has no resource kind "lakehouse"' },
      { urn: 'dataos://workflow:Retail/x', reason: 'workspace or name outside what Metis accepts' },
      { urn: 'dataos://workflow:retail/a/b', reason: 'workspace or name outside what Metis accepts' },
      { urn: 'opaque-id', reason: 'not a resource URN' },
    ]);
  });
});

describe('the Metis push settings', () => {
  const client = { CARETAKER_METIS_CLIENT_ID: 'dataos-svc-caretaker', CARETAKER_METIS_CLIENT_SECRET: 's' };
  it('off without a client or with interval 0; on with one, its token from OIDC_ISSUER for OIDC_AUDIENCE', () => {
    expect(mainSettings({}).metisSync).toBeUndefined();
    expect(
      mainSettings({ ...client, CARETAKER_METIS_SYNC_INTERVAL_MS: '0', OIDC_ISSUER: 'http://i' }).metisSync,
    ).toBeUndefined();
    expect(mainSettings({ ...client, OIDC_ISSUER: 'http://localhost:4400', OIDC_AUDIENCE: 'urn:x' }).metisSync).toEqual(
      {
        metisUrl: 'http://localhost:4002/graphql',
        intervalMs: 60_000,
        credentials: {
          clientId: 'dataos-svc-caretaker',
          clientSecret: 's',
          issuer: 'http://localhost:4400',
          resource: 'urn:x',
        },
      },
    );
  });

  it("without a client of its own, the service's identity (SERVICE_CLIENT_ID) pushes", () => {
    const env = { SERVICE_CLIENT_ID: 'dataos-svc-caretaker', SERVICE_CLIENT_SECRET: 't', OIDC_ISSUER: 'http://i' };
    expect(mainSettings(env).metisSync?.credentials).toMatchObject({
      clientId: 'dataos-svc-caretaker',
      clientSecret: 't',
    });
    expect(mainSettings({ ...env, ...client }).metisSync?.credentials).toMatchObject({
      clientId: client.CARETAKER_METIS_CLIENT_ID,
    });
  });

  it('half a client or no issuer fails at start', () => {
    expect(() => mainSettings({ CARETAKER_METIS_CLIENT_ID: 'x' })).toThrow('must be set together');
    expect(() => mainSettings(client)).toThrow('needs OIDC_ISSUER');
  });
});
