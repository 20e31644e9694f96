import { render, screen } from '@testing-library/react';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { describe, expect, it } from 'vitest';
import { readSearch, writeSearch } from '../src/pages/catalog/search-params.js';
import { ProfileCell, profileFailure } from '../src/pages/dataset/ProfilePart.js';
import { UsageSummary } from '../src/pages/dataset/UsagePart.js';
import {
  formatCount,
  formatPercent,
  relativeTime,
  runDuration,
  subjectName,
  withheldReason,
} from '../src/pages/dataset/stats-format.js';

const NOW = Date.parse('2026-12-07T12:00:00Z');

describe('numbers and times for people', () => {
  it('groups counts and shows shares', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(null)).toBe('—');
    expect(formatPercent(12, 300)).toBe('4 %');
    expect(formatPercent(1, 3)).toBe('33.3 %');
    expect(formatPercent(1, 5000)).toBe('<0.1 %');
    expect(formatPercent(0, 300)).toBe('0 %');
    expect(formatPercent(3, 0)).toBe('—');
  });

  it('says how long ago, in the largest unit', () => {
    expect(relativeTime('2026-12-07T09:00:00Z', NOW)).toBe('3 hours ago');
    expect(relativeTime('2026-12-07T11:59:58Z', NOW)).toBe('2 seconds ago');
    expect(relativeTime('2026-12-07T12:00:00Z', NOW)).toBe('now');
    expect(relativeTime('2026-12-05T12:00:00Z', NOW)).toBe('2 days ago');
    expect(relativeTime(null, NOW)).toBe('—');
  });

  it('measures runs', () => {
    expect(runDuration('2026-12-07T12:00:00.000Z', '2026-12-07T12:00:00.513Z')).toBe('513 ms');
    expect(runDuration('2026-12-07T12:00:00Z', '2026-12-07T12:00:12.34Z')).toBe('12.3 s');
    expect(runDuration('2026-12-07T12:00:00Z', '2026-12-07T12:02:05Z')).toBe('2 min 5 s');
    expect(runDuration('2026-12-07T12:00:00Z', null)).toBe('—');
  });

  it('names subjects by their id', () => {
    expect(subjectName('users:id:alice')).toBe('alice');
    expect(subjectName('dataos-svc-metis')).toBe('dataos-svc-metis');
  });
});

describe('withheld min and max', () => {
  it('gives the reason the Gateway gives this reader', () => {
    expect(withheldReason({ mask: { operator: 'HASH', policy: 'pii' }, rowFiltered: true })).toBe(
      'withheld: masked for you',
    );
    expect(withheldReason({ mask: undefined, rowFiltered: true })).toBe('withheld: your rows are filtered');
    expect(withheldReason({ mask: { operator: 'PASS_THROUGH', policy: 'pii-reader' }, rowFiltered: false })).toBe(
      'withheld: masked when profiled',
    );
    expect(withheldReason(undefined)).toBe('withheld for you');
  });

  it('shows a withheld column as such, never as empty cells', () => {
    render(
      <ProfileCell
        profile={{
          rowCount: null,
          nullCount: 3,
          distinctCount: 290,
          min: null,
          max: null,
          mean: null,
          profiledAt: null,
          masked: true,
        }}
        rowCount={300}
        gateway={{ mask: { operator: 'HASH', policy: 'pii' }, rowFiltered: false }}
      />,
    );
    expect(screen.getByText('3 (1 %)')).toBeInTheDocument();
    expect(screen.getByText('290')).toBeInTheDocument();
    expect(screen.getByText('withheld: masked for you')).toBeInTheDocument();
    expect(screen.queryByText('min')).toBeNull();
  });

  it("counts a column's nulls out of the rows of the run that profiled it, not the dataset's last profile", () => {
    render(
      <ProfileCell
        profile={{
          rowCount: 1_000_000,
          nullCount: 3120,
          distinctCount: 9,
          min: null,
          max: null,
          mean: null,
          profiledAt: null,
          masked: false,
        }}
        rowCount={300}
        gateway={undefined}
      />,
    );
    expect(screen.getByText('3,120 (0.3 %)')).toBeInTheDocument();
  });

  it('shows clear values with their labels', () => {
    render(
      <ProfileCell
        profile={{
          rowCount: 300,
          nullCount: 0,
          distinctCount: 3,
          min: 'amer',
          max: 'emea',
          mean: null,
          profiledAt: null,
          masked: false,
        }}
        rowCount={300}
        gateway={undefined}
      />,
    );
    expect(screen.getByText('amer')).toBeInTheDocument();
    expect(screen.getByText('emea')).toBeInTheDocument();
    expect(screen.getByText('max')).toBeInTheDocument();
  });
});

describe('the Profile now answer', () => {
  const refusal = (code: string, message = 'no') =>
    new CombinedGraphQLErrors({ errors: [{ message, path: ['profileDataset'], extensions: { code } }] });

  it('explains a refusal, profiling off, and other failures in words', () => {
    expect(profileFailure(undefined)).toBeUndefined();
    expect(profileFailure(refusal('FORBIDDEN'))).toMatch(/^You may not profile this dataset/);
    expect(profileFailure(refusal('SERVICE_UNAVAILABLE'))).toBe(
      'Profiling is off: Metis has no Gateway to profile through.',
    );
    expect(profileFailure(refusal('NOT_FOUND', 'No dataset at that URN.'))).toBe(
      'The profile could not run: No dataset at that URN.',
    );
  });
});

describe('usage', () => {
  const usage = {
    window: 'D7' as const,
    queries: 1234,
    distinctUsers: 2,
    lastQueriedAt: null,
    columns: [
      { name: 'email', queries: 12 },
      { name: 'unused', queries: 0 },
    ],
    topUsers: null,
    topQueries: [{ sql: 'SELECT email FROM customers', queries: 7 }],
  };

  it('says who may not see top users instead of listing nobody', () => {
    render(<UsageSummary usage={usage} />);
    expect(screen.getByText('1,234')).toBeInTheDocument();
    expect(screen.getByText('never in this window')).toBeInTheDocument();
    expect(screen.getByRole('list', { name: 'Most used columns' })).toHaveTextContent('email');
    expect(screen.getByRole('list', { name: 'Most used columns' })).not.toHaveTextContent('unused');
    expect(screen.queryByRole('list', { name: 'Top users' })).toBeNull();
    expect(screen.getByText(/Not shown to you/)).toBeInTheDocument();
    expect(screen.getByRole('list', { name: 'Top queries' })).toHaveTextContent('SELECT email FROM customers');
  });

  it('tells an empty list from a hidden one', () => {
    render(<UsageSummary usage={{ ...usage, queries: 0, columns: [], topUsers: [], topQueries: [] }} />);
    expect(screen.getAllByText('Nobody queried it in this window.')).toHaveLength(2);
    expect(screen.queryByText(/Not shown to you/)).toBeNull();
  });
});

describe('the catalog sort in the URL', () => {
  it('keeps "Most used" and leaves the default out', () => {
    const state = readSearch(new URLSearchParams('q=products&sort=usage'));
    expect(state.sort).toBe('USAGE');
    expect(writeSearch(state).toString()).toBe('q=products&sort=usage');
    expect(readSearch(new URLSearchParams('q=products&sort=bogus')).sort).toBeUndefined();
    expect(writeSearch({ query: 'products', types: [], sort: 'RELEVANCE' }).toString()).toBe('q=products');
  });
});
