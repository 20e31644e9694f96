import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SettingsError, parseSettings, setting } from '../src/index.js';

const schema = z.object({
  SVC_POLL_MS: setting.durationMs({ min: 100, default: 1000 }),
  SVC_URL: setting.url({ default: 'http://localhost:1/graphql' }),
  SVC_DEBUG: setting.bool({ default: false }),
});

describe('parseSettings', () => {
  it('types the defaults and ignores variables it does not name', () => {
    const values: { SVC_POLL_MS: number; SVC_URL: string; SVC_DEBUG: boolean } = parseSettings(schema, {
      PATH: '/bin',
      SVC_DEBUG: 'true',
    });
    expect(values).toEqual({ SVC_POLL_MS: 1000, SVC_URL: 'http://localhost:1/graphql', SVC_DEBUG: true });
  });

  it('throws one error naming every bad variable, its value and what was expected', () => {
    let error: unknown;
    try {
      parseSettings(schema, { SVC_POLL_MS: '1o00', SVC_URL: 'localhost', SVC_DEBUG: 'ja' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SettingsError);
    expect((error as SettingsError).message).toBe(
      [
        'SVC_POLL_MS must be an integer number of milliseconds from 100 to 2147483647 (got "1o00")',
        'SVC_URL must be an absolute http(s) URL (got "localhost")',
        'SVC_DEBUG must be true or false (got "ja")',
      ].join('\n'),
    );
    expect((error as SettingsError).problems.map((p) => p.variable)).toEqual(['SVC_POLL_MS', 'SVC_URL', 'SVC_DEBUG']);
  });

  it('reads process.env by default', () => {
    process.env.SVC_POLL_MS = '5';
    try {
      expect(() => parseSettings(schema)).toThrow(/^SVC_POLL_MS must be/);
    } finally {
      delete process.env.SVC_POLL_MS;
    }
  });
});
