import { describe, expect, it } from 'vitest';
import { SettingsError } from '@dataos/settings';
import { archiveBatch, historyWindowDays, mainSettings } from '../src/settings.js';

describe("Caretaker's settings", () => {
  it('defaults when unset, reads valid values', () => {
    expect(mainSettings({})).toMatchObject({
      port: 4005,
      historyWindowDays: 7,
      archiveBatch: 5000,
      archiveIntervalMs: 3_600_000,
      rollupIntervalMs: 15_000,
    });
    expect(mainSettings({}).kube).toBeUndefined();
    expect(mainSettings({ CARETAKER_ROLLUP_INTERVAL_MS: '0' }).rollupIntervalMs).toBe(0);
    expect(historyWindowDays({ CARETAKER_HISTORY_WINDOW_DAYS: '0.5' })).toBe(0.5);
    expect(archiveBatch({ CARETAKER_ARCHIVE_BATCH: ' 200 ' })).toBe(200);
    expect(mainSettings({ CARETAKER_ARCHIVE_INTERVAL_MS: '0' }).archiveIntervalMs).toBe(0);
    expect(mainSettings({ KUBECONFIG: '/k/a.yaml:/k/b.yaml' }).kube).toEqual({ kubeconfig: '/k/a.yaml' });
    expect(mainSettings({ CARETAKER_KUBE_IN_CLUSTER: 'true' }).kube).toEqual({});
    expect(mainSettings({ CARETAKER_KUBE_IN_CLUSTER: 'false' }).kube).toBeUndefined();
  });

  it.each([
    [
      { CARETAKER_HISTORY_WINDOW_DAYS: 'seven' },
      'CARETAKER_HISTORY_WINDOW_DAYS must be a number of days from 0.001 to 3650 (got "seven")',
    ],
    [{ CARETAKER_HISTORY_WINDOW_DAYS: '-1' }, 'CARETAKER_HISTORY_WINDOW_DAYS must be'],
    [{ CARETAKER_HISTORY_WINDOW_DAYS: '0' }, 'CARETAKER_HISTORY_WINDOW_DAYS must be'],
    [{ CARETAKER_HISTORY_WINDOW_DAYS: '7d' }, 'CARETAKER_HISTORY_WINDOW_DAYS must be'],
    [
      { CARETAKER_ARCHIVE_BATCH: 'NaN' },
      'CARETAKER_ARCHIVE_BATCH must be an integer number of events from 1 to 100000 (got "NaN")',
    ],
    [{ CARETAKER_ARCHIVE_BATCH: '0' }, 'CARETAKER_ARCHIVE_BATCH must be'],
    [{ CARETAKER_ARCHIVE_BATCH: '2.5' }, 'CARETAKER_ARCHIVE_BATCH must be'],
    [{ CARETAKER_ARCHIVE_INTERVAL_MS: '-5' }, 'CARETAKER_ARCHIVE_INTERVAL_MS must be'],
    [{ CARETAKER_ARCHIVE_INTERVAL_MS: 'Infinity' }, 'CARETAKER_ARCHIVE_INTERVAL_MS must be'],
    [{ CARETAKER_KUBE_IN_CLUSTER: 'yes' }, 'CARETAKER_KUBE_IN_CLUSTER must be true or false (got "yes")'],
    [{ ARCHIVE_S3_ENDPOINT: 'minio:9000' }, 'ARCHIVE_S3_ENDPOINT must be an absolute http(s) URL (got "minio:9000")'],
    [{ HEIMDALL_TIMEOUT_MS: '2s' }, 'HEIMDALL_TIMEOUT_MS must be'],
    [{ MAX_BODY_SIZE: '1 megabyte' }, 'MAX_BODY_SIZE must be'],
    [{ PORT: 'http' }, 'PORT must be an integer from 0 to 65535 (got "http")'],
  ])('a typo fails at start: %j, naming it', (env, message) => {
    expect(() => mainSettings(env)).toThrow(new RegExp(`^${Object.keys(env)[0]} must be`));
    expect(() => mainSettings(env)).toThrow(message);
  });

  it('names every bad variable in one error', () => {
    const error = (() => {
      try {
        mainSettings({ CARETAKER_ARCHIVE_BATCH: '5k', CARETAKER_ROLLUP_INTERVAL_MS: '15s' });
      } catch (e) {
        return e as SettingsError;
      }
    })();
    expect(error).toBeInstanceOf(SettingsError);
    expect(error!.problems.map((p) => [p.variable, p.value])).toEqual([
      ['CARETAKER_ARCHIVE_BATCH', '5k'],
      ['CARETAKER_ROLLUP_INTERVAL_MS', '15s'],
    ]);
  });
});
