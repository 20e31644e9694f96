import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseBytes, parseSettings, setting } from '../src/index.js';

/** The value of one variable, or the message it fails with. */
const read = <T>(schema: z.ZodType<T, unknown>, value: string | undefined): T | string => {
  try {
    return parseSettings(z.object({ X: schema }), value === undefined ? {} : { X: value }).X;
  } catch (error) {
    return (error as Error).message;
  }
};

describe('setting helpers', () => {
  it('int: whole numbers within bounds, blank is the default', () => {
    const poll = setting.int({ min: 100, default: 1000 });
    expect(read(poll, undefined)).toBe(1000);
    expect(read(poll, '  ')).toBe(1000);
    expect(read(poll, ' 250 ')).toBe(250);
    expect(read(poll, '1o00')).toBe('X must be an integer ≥ 100 (got "1o00")');
    for (const bad of ['99', '2.5', '1e3', '0x10', 'Infinity', 'NaN', '9007199254740993'])
      expect(read(poll, bad)).toMatch(/^X must be an integer ≥ 100/);
    expect(read(setting.int({ min: 1, max: 10, unit: 'events', default: 5 }), '11')).toBe(
      'X must be an integer number of events from 1 to 10 (got "11")',
    );
    expect(read(setting.int({ min: 0 }), undefined)).toBeUndefined();
  });

  it('number: decimals within bounds', () => {
    const days = setting.number({ min: 0.001, max: 3650, unit: 'days', default: 7 });
    expect(read(days, '0.5')).toBe(0.5);
    expect(read(days, '.5')).toBe(0.5);
    for (const bad of ['0', '-1', '7d', '1e400', 'seven', '3651'])
      expect(read(days, bad)).toMatch(/^X must be a number of days from 0.001 to 3650/);
  });

  it('durationMs: whole milliseconds a timer can wait, 1 or more unless 0 is allowed', () => {
    expect(read(setting.durationMs({ default: 30_000 }), '500')).toBe(500);
    expect(read(setting.durationMs({ default: 30_000 }), '0')).toBe(
      'X must be an integer number of milliseconds from 1 to 2147483647 (got "0")',
    );
    expect(read(setting.durationMs({ min: 0, default: 30_000 }), '0')).toBe(0);
    expect(read(setting.durationMs({ default: 1 }), String(2 ** 31))).toMatch(/^X must be/);
    expect(read(setting.durationMs({ default: 1 }), '1s')).toMatch(/^X must be/);
  });

  it('port', () => {
    expect(read(setting.port({ default: 4001 }), undefined)).toBe(4001);
    expect(read(setting.port({ default: 4001 }), '0')).toBe(0);
    expect(read(setting.port({ default: 4001 }), '65536')).toMatch(/^X must be an integer from 0 to 65535/);
    expect(read(setting.port({ default: 4001 }), 'http')).toMatch(/^X must be/);
  });

  it('bytes: plain numbers and binary units, as Express reads its limit', () => {
    const size = setting.bytes({ min: 1, default: 1024 ** 2 });
    expect(read(size, undefined)).toBe(1_048_576);
    expect(read(size, '512kb')).toBe(524_288);
    expect(read(size, '1.5MB')).toBe(1_572_864);
    expect(read(size, '2048')).toBe(2048);
    expect(read(size, '1 mb')).toBe(1_048_576);
    expect(read(size, '1mib')).toBe('X must be a size in bytes ≥ 1 such as 1048576, 512kb or 1mb (got "1mib")');
    expect(read(size, '0')).toMatch(/^X must be a size/);
    expect(read(size, '-1kb')).toMatch(/^X must be a size/);
    expect(parseBytes('1gb')).toBe(1024 ** 3);
  });

  it('bool: true or false only', () => {
    const flag = setting.bool({ default: false });
    expect(read(flag, 'TRUE')).toBe(true);
    expect(read(flag, 'false')).toBe(false);
    expect(read(flag, undefined)).toBe(false);
    expect(read(flag, 'yes')).toBe('X must be true or false (got "yes")');
  });

  it('url: absolute http(s) only', () => {
    const u = setting.url({ default: 'http://localhost:4001/graphql' });
    expect(read(u, 'https://heimdall.internal/graphql')).toBe('https://heimdall.internal/graphql');
    expect(read(u, 'heimdall:4001')).toBe('X must be an absolute http(s) URL (got "heimdall:4001")');
    expect(read(u, 'ftp://x')).toMatch(/^X must be an absolute http\(s\) URL/);
    expect(read(setting.url({}), undefined)).toBeUndefined();
  });

  it('oneOf, list, json, text', () => {
    expect(read(setting.oneOf(['info', 'debug'], { default: 'info' }), 'debug')).toBe('debug');
    expect(read(setting.oneOf(['info', 'debug'], { default: 'info' }), 'verbose')).toBe(
      'X must be one of info, debug (got "verbose")',
    );
    expect(read(setting.list({ default: [] }), ' a, b ,,c ')).toEqual(['a', 'b', 'c']);
    expect(read(setting.list({ default: ['x'], min: 1, of: 'tags' }), ' , ')).toBe(
      'X must be a comma-separated list of tags (at least 1) (got " , ")',
    );
    const issuers = setting.json(z.array(z.object({ issuer: z.string() })), 'an array of {issuer}', {});
    expect(read(issuers, '[{"issuer":"http://i"}]')).toEqual([{ issuer: 'http://i' }]);
    expect(read(issuers, '[{"iss":1}]')).toBe('X must be JSON: an array of {issuer} (got "[{\\"iss\\":1}]")');
    expect(read(issuers, '[')).toMatch(/^X must be JSON/);
    expect(read(setting.text({}), ' s3cret ')).toBe(' s3cret ');
    expect(read(setting.text({ default: '1GB' }), '')).toBe('1GB');
  });
});
