import { render, screen } from '@testing-library/react';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { ConsoleScanRunFragment } from '@dataos/client';
import { ScanHistory } from '../src/pages/sources/ScanHistory.js';
import { isOver, runCounts, scanFailure, scheduleText } from '../src/pages/sources/scan-format.js';

const run = (over: Partial<ConsoleScanRunFragment> = {}): ConsoleScanRunFragment => ({
  id: 'crmdb:1',
  depot: 'crmdb',
  trigger: 'ON_DEMAND',
  requestedBy: 'users:id:carol',
  status: 'SUCCEEDED',
  startedAt: '2026-12-07T12:00:00Z',
  finishedAt: '2026-12-07T12:00:01.500Z',
  found: 8,
  created: 2,
  updated: 1,
  unchanged: 5,
  deprecated: 0,
  restored: 0,
  columnEdges: 4,
  errors: [],
  ...over,
});

describe('a source scan for people', () => {
  it('says the schedule in words', () => {
    expect(scheduleText({ type: 'postgres', everySeconds: 300 })).toBe('every 5 min');
    expect(scheduleText({ type: 'trino', everySeconds: 3600 })).toBe('every 1 h');
    expect(scheduleText({ type: 'postgres', everySeconds: 0 })).toBe('on demand');
    expect(scheduleText(null)).toBe('not scanned');
  });

  it('sums up a run and knows when it is over', () => {
    expect(runCounts(run())).toBe('8 found, 2 created, 1 updated, 0 deprecated, 0 restored');
    expect(isOver(run())).toBe(true);
    expect(isOver(run({ status: 'RUNNING', finishedAt: null }))).toBe(false);
    expect(isOver(run({ status: 'FAILED' }))).toBe(true);
  });

  it('explains a refused or failed Scan now in words', () => {
    const refusal = (code: string, message = 'Not allowed to write dataos://crmdb.') =>
      new CombinedGraphQLErrors({ errors: [{ message, path: ['scanDepot'], extensions: { code } }] });
    expect(scanFailure(undefined, 'crmdb')).toBeUndefined();
    expect(scanFailure(refusal('FORBIDDEN'), 'crmdb')).toBe(
      'You may not scan crmdb: scanning needs write access to the depot (dataos://crmdb), which its administrators have.',
    );
    expect(scanFailure(refusal('NOT_FOUND'), 'erpdb')).toBe(
      'Metis does not scan erpdb: no scan is configured for it (METIS_SCANS).',
    );
    expect(scanFailure(refusal('SUBGRAPH_UNAVAILABLE'), 'crmdb')).toBe('Metis did not answer: try again later.');
    expect(scanFailure(refusal('INTERNAL_SERVER_ERROR', 'boom'), 'crmdb')).toBe('The scan could not start: boom');
  });
});

describe('the scan history', () => {
  it('lists each run: trigger and who, status, duration, counts, errors', () => {
    render(
      <MemoryRouter>
        <ScanHistory
          depot="crmdb"
          runs={[
            run({ id: 'crmdb:3', status: 'RUNNING', finishedAt: null }),
            run({ id: 'crmdb:2', status: 'PARTIAL', errors: ['crm.broken_view: does not parse'] }),
            run({ id: 'crmdb:1', trigger: 'SCHEDULE', requestedBy: null }),
          ]}
        />
      </MemoryRouter>,
    );
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    expect(rows[0]!.textContent).toContain('on demand by carol');
    expect(rows[0]!.textContent).toContain('running');
    expect(rows[0]!.textContent).toContain('under way');
    expect(rows[1]!.textContent).toContain('partial');
    expect(rows[1]!.textContent).toContain('1.5 s');
    expect(rows[1]!.textContent).toContain('crm.broken_view: does not parse');
    expect(rows[2]!.textContent).toContain('schedule');
    expect(rows[2]!.textContent).not.toContain('by ');
    expect(rows[2]!.querySelectorAll('td')[4]!.textContent).toBe('8');
  });

  it('says when there is nothing to show', () => {
    render(<ScanHistory depot="erpdb" runs={[]} />);
    expect(screen.getByText('No scan of erpdb shown to you.')).toBeTruthy();
  });
});
