import { describe, expect, it } from 'vitest';
import { countByPhase, isNewer, mergePod, podFilterInput, sortedRows, type PodRow } from './pods.js';
import { mergeTimeline, sourcesOf, type TimelineEvent } from './timeline.js';
import { boundaries, chartRows } from './stats.js';
import { bytes, millicores, ratio } from './format.js';
import { mergeRows, rowOf } from './queries.js';

const pod = (name: string, rv: string, patch: Partial<PodRow> = {}): PodRow => ({
  namespace: 'retail',
  name,
  phase: 'RUNNING',
  restarts: 0,
  ready: true,
  deleted: false,
  resourceVersion: rv,
  observedAt: '2026-12-07T08:00:00Z',
  nodeName: 'node-a',
  ...patch,
});

describe('live pod rows', () => {
  it('compares resourceVersions as numbers of any length', () => {
    expect(isNewer('10', '9')).toBe(true);
    expect(isNewer('9', '10')).toBe(false);
    expect(isNewer('12', '12')).toBe(false);
  });

  it('applies a newer state in place and ignores an older one arriving late', () => {
    let rows = mergePod(new Map(), pod('a', '5'), {});
    rows = mergePod(rows, pod('a', '7', { phase: 'FAILED', restarts: 2 }), {});
    const late = mergePod(rows, pod('a', '6', { phase: 'RUNNING' }), {});
    expect(late).toBe(rows);
    expect(rows.get('retail/a')).toMatchObject({ phase: 'FAILED', restarts: 2 });
  });

  it('drops a pod that leaves the filter or is deleted, and adds a new one that matches', () => {
    const filter = { phase: 'RUNNING' as const };
    let rows = mergePod(new Map(), pod('a', '1'), filter);
    rows = mergePod(rows, pod('b', '1'), filter);
    rows = mergePod(rows, pod('a', '2', { phase: 'SUCCEEDED' }), filter);
    rows = mergePod(rows, pod('b', '3', { deleted: true }), filter);
    rows = mergePod(rows, pod('c', '1', { namespace: 'finance' }), filter);
    expect(sortedRows(rows).map((r) => `${r.namespace}/${r.name}`)).toEqual(['finance/c']);
    // A pod that does not match and was never shown changes nothing.
    expect(mergePod(rows, pod('d', '1', { phase: 'FAILED' }), filter)).toBe(rows);
  });

  it('counts every phase, zeros included', () => {
    const rows = [pod('a', '1'), pod('b', '1', { phase: 'FAILED' }), pod('c', '1')];
    expect(countByPhase(rows)).toEqual({ PENDING: 0, RUNNING: 2, SUCCEEDED: 0, FAILED: 1, UNKNOWN: 0 });
  });

  it('sends the same filter to the page read and the subscription', () => {
    expect(podFilterInput({ namespace: 'retail', phase: 'FAILED', nodeName: 'node-c' })).toEqual({
      namespace: 'retail',
      phases: ['FAILED'],
      nodeName: 'node-c',
    });
    expect(podFilterInput({})).toEqual({});
  });
});

describe('pod timeline', () => {
  const event = (rv: string, time: string, source: string): TimelineEvent => ({
    id: `Pod/retail/a@${rv}`,
    type: 'MODIFIED',
    time,
    resourceVersion: rv,
    phase: 'RUNNING',
    restarts: 0,
    ready: true,
    source,
  });

  it('shows an event read and received live once, newest first, with where it was read', () => {
    const merged = mergeTimeline(
      [event('1', '2026-11-28T10:00:00Z', 'ARCHIVE'), event('2', '2026-12-07T08:00:00Z', 'MONGODB')],
      [event('2', '2026-12-07T08:00:00Z', 'LIVE'), event('3', '2026-12-07T08:05:00Z', 'LIVE')],
    );
    expect(merged.map((e) => `${e.resourceVersion}:${e.source}`)).toEqual(['3:LIVE', '2:MONGODB', '1:ARCHIVE']);
    expect(sourcesOf(merged)).toEqual({ LIVE: 1, MONGODB: 1, ARCHIVE: 1 });
  });
});

describe('event chart and formats', () => {
  it('ends the twelve ranges at the next whole hour', () => {
    const b = boundaries('hour', Date.parse('2026-12-07T08:20:00Z'));
    expect(b.f12).toBe('2026-12-07T09:00:00.000Z');
    expect(b.f0).toBe('2026-12-06T21:00:00.000Z');
    expect(Object.keys(b)).toHaveLength(13);
  });

  it('gives every phase a count in each row, so the stacks line up', () => {
    const rows = chartRows(
      [{ from: '2026-12-07T08:00:00Z', total: 3, byPhase: [{ phase: 'FAILED', count: 3 }] }, null],
      'hour',
    );
    expect(rows[0]).toMatchObject({ total: 3, FAILED: 3, RUNNING: 0 });
    expect(rows[1]).toMatchObject({ total: 0, FAILED: 0 });
  });

  it('formats quantities', () => {
    expect(bytes(3 * 1024 ** 3)).toBe('3.0 GiB');
    expect(millicores(1500)).toBe('1500m CPU');
    expect(millicores(2000)).toBe('2 CPU');
    expect(ratio(5, 4)).toBe(1);
    expect(ratio(1, 0)).toBe(0);
  });
});

describe('Minerva queries, live', () => {
  const change = (queryId: string, phase: string, at: string, elapsedMs = 0) => ({
    __typename: 'QueryChange' as const,
    cursor: `c-${queryId}-${phase}`,
    queryId,
    cluster: 'minerva-default',
    user: 'users:id:bob',
    source: 'QUERY' as const,
    phase: phase as 'PLANNING',
    final: phase !== 'PLANNING',
    rows: phase === 'SUCCEEDED' ? 3 : 0,
    elapsedMs,
    at,
    error: null,
  });

  it('a start is a running row without duration; its end gives state, rows and the start time back', () => {
    expect(rowOf(change('q1', 'PLANNING', '2026-12-07T10:00:00.000Z'))).toMatchObject({
      state: 'RUNNING',
      startedAt: '2026-12-07T10:00:00.000Z',
      durationMs: Number.NaN,
    });
    expect(rowOf(change('q1', 'SUCCEEDED', '2026-12-07T10:00:02.000Z', 1500))).toMatchObject({
      state: 'SUCCEEDED',
      rows: 3,
      durationMs: 1500,
      startedAt: '2026-12-07T10:00:00.500Z',
    });
  });

  it('merges live rows over the history, newest first; a finished history row is never turned back to running', () => {
    const finished = { ...rowOf(change('q1', 'SUCCEEDED', '2026-12-07T10:00:02.000Z', 1000)) };
    const live = new Map([
      ['q1', rowOf(change('q1', 'PLANNING', '2026-12-07T10:00:01.000Z'))],
      ['q2', rowOf(change('q2', 'PLANNING', '2026-12-07T10:05:00.000Z'))],
    ]);
    const rows = mergeRows([finished], live);
    expect(rows.map((r) => [r.id, r.state])).toEqual([
      ['q2', 'RUNNING'],
      ['q1', 'SUCCEEDED'],
    ]);
  });
});
