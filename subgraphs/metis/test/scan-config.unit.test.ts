import { describe, expect, it } from 'vitest';
import { SettingsError } from '@dataos/settings';
import { parseScanTargets, redact } from '../src/scan/config.js';

describe('METIS_SCANS', () => {
  it('takes the password out of the URL, or from the named variable', () => {
    const [inUrl, fromEnv] = parseScanTargets(
      JSON.stringify([
        { depot: 'crmdb', type: 'postgres', url: 'postgres://reader:s%40cret@db.internal:5432/crm', everySeconds: 60 },
        {
          depot: 'icebase',
          type: 'trino',
          url: 'http://scanner@trino:8080',
          catalog: 'icebase',
          passwordEnv: 'TRINO_PW',
        },
      ]),
      { TRINO_PW: 'trino-secret' },
    );
    expect(inUrl).toMatchObject({
      url: 'postgres://reader@db.internal:5432/crm',
      password: 's@cret',
      everySeconds: 60,
    });
    expect(inUrl!.comments).toBe(true);
    expect(fromEnv).toMatchObject({ url: 'http://scanner@trino:8080/', password: 'trino-secret', catalog: 'icebase' });
    expect(fromEnv!.everySeconds).toBe(0);
  });

  it('refuses bad entries without ever echoing the value', () => {
    const secret = 'p4ssw0rd-never-shown';
    const bad = [
      `not json ${secret}`,
      JSON.stringify({ depot: 'x' }),
      JSON.stringify([{ depot: 'crm db', type: 'postgres', url: `postgres://u:${secret}@h/d` }]),
      JSON.stringify([{ depot: 'crmdb', type: 'mysql', url: `postgres://u:${secret}@h/d` }]),
      JSON.stringify([{ depot: 'crmdb', type: 'postgres', url: `http://u:${secret}@h/d` }]),
      JSON.stringify([{ depot: 'icebase', type: 'trino', url: `http://u:${secret}@h` }]),
      JSON.stringify([{ depot: 'crmdb', type: 'postgres', url: 'postgres://u@h/d', passwordEnv: 'UNSET_VAR' }]),
      JSON.stringify([
        { depot: 'crmdb', type: 'postgres', url: `postgres://u:${secret}@h/d` },
        { depot: 'crmdb', type: 'postgres', url: `postgres://u:${secret}@h/d` },
      ]),
    ];
    for (const text of bad) {
      let error: unknown;
      try {
        parseScanTargets(text, {});
      } catch (e) {
        error = e;
      }
      expect(error, text).toBeInstanceOf(SettingsError);
      expect((error as Error).message).toMatch(/^METIS_SCANS must be /);
      expect((error as Error).message).not.toContain(secret);
    }
  });

  it('is empty when unset or blank', () => {
    expect(parseScanTargets(undefined)).toEqual([]);
    expect(parseScanTargets('  ')).toEqual([]);
  });

  it('redacts the password, plain and URL-encoded, from any message', () => {
    const target = { password: 'a b@c' };
    expect(redact('failed for "a b@c" at postgres://u:a%20b%40c@h', target)).toBe(
      'failed for "***" at postgres://u:***@h',
    );
  });
});
