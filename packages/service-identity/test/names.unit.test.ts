import { describe, expect, it } from 'vitest';
import { audienceOf, serviceIdentityFromEnv, serviceOfAudience } from '../src/index.js';

describe('service identity names and settings', () => {
  it('one audience per service, and only well-formed names', () => {
    expect(audienceOf('metis')).toBe('dataos-svc:metis');
    expect(serviceOfAudience('dataos-svc:metis')).toBe('metis');
    expect(serviceOfAudience('urn:dataos:supergraph')).toBeUndefined();
    expect(serviceOfAudience('dataos-svc:Metis/../x')).toBeUndefined();
    expect(() => audienceOf('metis odin')).toThrow('not a service name: "metis odin"');
  });

  it('off without settings; a caller only (the router) needs no trusted callers', () => {
    expect(serviceIdentityFromEnv({})).toEqual({ mode: 'off', trustedCallers: [] });
    expect(
      serviceIdentityFromEnv(
        { SERVICE_IDENTITY: 'required', SERVICE_CLIENT_ID: 'dataos-router', SERVICE_CLIENT_SECRET: 's' },
        { callerOnly: true },
      ),
    ).toEqual({ mode: 'required', trustedCallers: [], credentials: { clientId: 'dataos-router', clientSecret: 's' } });
    expect(() => serviceIdentityFromEnv({ SERVICE_IDENTITY: 'required' })).toThrow(/SERVICE_TRUSTED_CALLERS/);
  });
});
