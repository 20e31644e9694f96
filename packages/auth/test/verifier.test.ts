import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SignJWT, decodeProtectedHeader, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_CLIENTS, fetchDevToken, fetchServiceToken, startIssuer, type RunningIssuer } from '@dataos/devstack';
import { TokenError, TokenVerifier, bearerToken, type TokenFailure } from '../src/index.js';

const issuer = () => process.env.OIDC_ISSUER!;
const audience = () => process.env.OIDC_AUDIENCE!;
const verifier = (
  overrides: { audience?: string; clockToleranceSec?: number; jwksCooldownMs?: number; issuer?: string } = {},
) =>
  new TokenVerifier([{ issuer: overrides.issuer ?? issuer(), audience: overrides.audience ?? audience() }], {
    allowInsecureIssuers: true,
    clockToleranceSec: overrides.clockToleranceSec ?? 5,
    jwksCooldownMs: overrides.jwksCooldownMs ?? 30_000,
  });

async function refusal(promise: Promise<unknown>): Promise<TokenFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TokenError);
  return (error as TokenError).reason;
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('TokenVerifier against the dev OIDC issuer', () => {
  let attackerKey: CryptoKey;
  beforeAll(async () => {
    attackerKey = (await generateKeyPair('RS256')).privateKey;
  });

  it('accepts a person token and turns its claims into a subject with tags', async () => {
    const { access_token } = await fetchDevToken('alice');
    const principal = await verifier().verify(access_token);
    expect(principal.id).toBe('users:id:alice');
    expect(principal.type).toBe('person');
    expect(principal.roles).toEqual(['data-dev']);
    expect(principal.tags).toEqual(expect.arrayContaining(['users:id:alice', 'roles:id:data-dev', 'groups:id:retail']));
    expect(principal.expiresAt.getTime()).toBeGreaterThan(Date.now());
  });

  it('accepts a client_credentials token as an application', async () => {
    const { access_token } = await fetchServiceToken();
    const principal = await verifier().verify(access_token);
    expect(principal.type).toBe('application');
    expect(principal.tags).toContain('roles:id:service');
  });

  it('refuses an expired token', async () => {
    const { access_token } = await fetchDevToken('alice', { ttlSec: 1 });
    await sleep(2100);
    expect(await refusal(verifier({ clockToleranceSec: 0 }).verify(access_token))).toBe('expired');
  });

  it('serves a verified token from its cache, but never past the token expiry', async () => {
    const v = verifier({ clockToleranceSec: 0 });
    const { access_token } = await fetchDevToken('alice', { ttlSec: 2 });
    const first = await v.verify(access_token);
    expect(await v.verify(access_token)).toBe(first); // the same object: served from the cache
    await sleep(2100);
    expect(await refusal(v.verify(access_token))).toBe('expired');
  });

  it('refuses a token issued for another audience', async () => {
    const { access_token } = await fetchDevToken('alice');
    expect(await refusal(verifier({ audience: 'urn:someone:else' }).verify(access_token))).toBe('wrong_audience');
  });

  it('refuses a token from an issuer it does not trust', async () => {
    const token = await new SignJWT({ sub: 'alice' })
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt' })
      .setIssuer('http://evil.example')
      .setAudience(audience())
      .setExpirationTime('5m')
      .sign(attackerKey);
    expect(await refusal(verifier().verify(token))).toBe('wrong_issuer');
  });

  it('refuses a token whose payload was tampered with', async () => {
    const [header, payload, signature] = (await fetchDevToken('dave')).access_token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const tampered = `${header}.${b64({ ...claims, sub: 'carol', roles: ['admin'] })}.${signature}`;
    expect(await refusal(verifier().verify(tampered))).toBe('invalid_signature');
  });

  it('refuses a token forged with the issuer kid but another key', async () => {
    const { kid } = decodeProtectedHeader((await fetchDevToken('alice')).access_token);
    const forged = await new SignJWT({ sub: 'carol', roles: ['admin'] })
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: kid! })
      .setIssuer(issuer())
      .setAudience(audience())
      .setExpirationTime('5m')
      .sign(attackerKey);
    expect(await refusal(verifier().verify(forged))).toBe('invalid_signature');
  });

  it('refuses alg none and HMAC tokens', async () => {
    const claims = { sub: 'carol', iss: issuer(), aud: audience(), exp: Math.floor(Date.now() / 1000) + 300 };
    const none = `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64(claims)}.`;
    const hmac = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
      .sign(new TextEncoder().encode('x'.repeat(32)));
    expect(await refusal(verifier().verify(none))).toBe('algorithm_not_allowed');
    expect(await refusal(verifier().verify(hmac))).toBe('algorithm_not_allowed');
  });

  it('refuses a missing or malformed token', async () => {
    expect(await refusal(verifier().verify(undefined))).toBe('missing');
    expect(await refusal(verifier().verify('not-a-jwt'))).toBe('malformed');
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('Basic abc')).toBeUndefined();
  });
});

describe('a private issuer instance (rotation, its own signing key), so the shared one keeps its keys', () => {
  let own: RunningIssuer;
  let keyFile: string;
  beforeAll(async () => {
    keyFile = join(mkdtempSync(join(tmpdir(), 'oidc-')), 'jwks.json');
    own = await startIssuer({ port: 0, keyFile });
  });
  afterAll(() => own.stop());

  it('refuses a token signed by the issuer that is not an access token (typ JWT, e.g. an ID token)', async () => {
    const [jwk] = (JSON.parse(readFileSync(keyFile, 'utf8')) as { keys: JWK[] }).keys;
    const idTokenLike = await new SignJWT({ sub: 'alice' })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: jwk!.kid! })
      .setIssuer(own.issuer)
      .setAudience(audience())
      .setExpirationTime('5m')
      .sign(await importJWK(jwk!, 'RS256'));
    expect(await refusal(verifier({ issuer: own.issuer }).verify(idTokenLike))).toBe('wrong_type');
  });

  it('refuses a token signed by the issuer whose nbf is in the future', async () => {
    const [jwk] = (JSON.parse(readFileSync(keyFile, 'utf8')) as { keys: JWK[] }).keys;
    const key = await importJWK(jwk!, 'RS256');
    const sign = (nbfSec: number) =>
      new SignJWT({ sub: 'alice' })
        .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: jwk!.kid! })
        .setIssuer(own.issuer)
        .setAudience(audience())
        .setNotBefore(Math.floor(Date.now() / 1000) + nbfSec)
        .setExpirationTime('10m')
        .sign(key);
    expect(await refusal(verifier({ issuer: own.issuer }).verify(await sign(120)))).toBe('not_yet_valid');
    // Within the clock tolerance (5 s here) a token already counts as valid.
    expect((await verifier({ issuer: own.issuer }).verify(await sign(2))).sub).toBe('alice');
  });

  it('checks opaque tokens through the issuer introspection endpoint when configured', async () => {
    const opaque = (await fetchDevToken('bob', { issuer: own.issuer, audience: `${audience()}:opaque` })).access_token;
    expect(opaque).not.toContain('.');
    const withIntrospection = new TokenVerifier(
      [
        {
          issuer: own.issuer,
          audience: audience(),
          introspection: { clientId: DEV_CLIENTS.services, clientSecret: DEV_CLIENTS.servicesSecret },
        },
      ],
      { allowInsecureIssuers: true },
    );
    const principal = await withIntrospection.verify(opaque);
    expect(principal.id).toBe('users:id:bob');
    expect(principal.tags).toContain('roles:id:operator');
    expect(await refusal(withIntrospection.verify('not-a-real-token-at-all'))).toBe('inactive');
    // Without introspection configured an opaque token cannot be checked.
    expect(await refusal(verifier({ issuer: own.issuer }).verify(opaque))).toBe('malformed');
  });

  it('follows a rotation: a token with a new kid refetches the JWKS; keys still published keep working', async () => {
    const v = verifier({ issuer: own.issuer, jwksCooldownMs: 0 });
    const before = (await fetchDevToken('alice', { issuer: own.issuer })).access_token;
    await v.verify(before); // JWKS now cached with the first key only
    await own.rotate(1);
    const after = (await fetchDevToken('alice', { issuer: own.issuer })).access_token;
    expect(decodeProtectedHeader(after).kid).not.toBe(decodeProtectedHeader(before).kid);
    expect((await v.verify(after)).sub).toBe('alice');
    expect((await v.verify(before)).sub).toBe('alice');
  });

  it('refuses tokens signed with a key the issuer no longer publishes', async () => {
    const v = verifier({ issuer: own.issuer, jwksCooldownMs: 0 });
    const old = (await fetchDevToken('alice', { issuer: own.issuer })).access_token;
    await own.rotate(0); // drop every older key
    expect(await refusal(v.verify(old))).toBe('unknown_key');
  });

  it('rate-limits JWKS refetches triggered by unknown kids', async () => {
    const v = verifier({ issuer: own.issuer, jwksCooldownMs: 60_000 });
    await v.verify((await fetchDevToken('alice', { issuer: own.issuer })).access_token);
    await own.rotate(0);
    const fresh = (await fetchDevToken('alice', { issuer: own.issuer })).access_token;
    // Within the cooldown the verifier does not hammer the issuer: the new kid stays unknown.
    expect(await refusal(v.verify(fresh))).toBe('unknown_key');
  });
});
