import { describe, expect, it } from 'vitest';
import {
  appendPage,
  cellText,
  firstPage,
  MAX_ROWS_HELD,
  ResultShapeChanged,
  wantsNextPage,
  type ResultPage,
} from './resultPages.js';

const columns = [
  { name: 'id', type: 'BIGINT' },
  { name: 'email', type: 'VARCHAR' },
];
const page = (from: number, count: number, hasMore: boolean, extra: Partial<ResultPage> = {}): ResultPage => ({
  queryId: `q${from}`,
  columns,
  rows: Array.from({ length: count }, (_, i) => [String(from + i), `e${from + i}`]),
  offset: from,
  hasMore,
  cursor: hasMore ? `c${from + count}` : null,
  durationMs: 5,
  datasets: ['dataos://icebase:retail/customers'],
  policies: ['pii-email'],
  ...extra,
});

describe('result pages', () => {
  it('appends pages by cursor until the last one', () => {
    let state = firstPage(page(0, 2, true));
    expect(state).toMatchObject({ cursor: 'c2', hasMore: true, pages: 1, capped: false });
    state = appendPage(state, page(2, 1, false, { policies: ['pii-email', 'customers-by-region'] }));
    expect(state.rows).toEqual([
      ['0', 'e0'],
      ['1', 'e1'],
      ['2', 'e2'],
    ]);
    expect(state).toMatchObject({ cursor: null, hasMore: false, pages: 2, durationMs: 10, queryIds: ['q0', 'q2'] });
    expect(state.policies).toEqual(['pii-email', 'customers-by-region']);
  });

  it('refuses a page whose columns differ from the first', () => {
    const state = firstPage(page(0, 1, true));
    expect(() => appendPage(state, { ...page(1, 1, false), columns: [columns[0]!] })).toThrow(ResultShapeChanged);
  });

  it('holds at most MAX_ROWS_HELD rows and then stops asking for more', () => {
    let state = firstPage(page(0, MAX_ROWS_HELD - 10, true));
    expect(state.cursor).not.toBeNull();
    state = appendPage(state, page(MAX_ROWS_HELD - 10, 50, true));
    expect(state.rows).toHaveLength(MAX_ROWS_HELD);
    expect(state).toMatchObject({ capped: true, cursor: null, hasMore: true });
  });

  it('asks for the next page when the last visible row nears the end', () => {
    const state = firstPage(page(0, 200, true));
    expect(wantsNextPage(state, 100)).toBe(false);
    expect(wantsNextPage(state, 150)).toBe(true);
    expect(wantsNextPage(firstPage(page(0, 200, false)), 199)).toBe(false);
  });

  it('shows cells as text', () => {
    expect(cellText(null)).toBe('NULL');
    expect(cellText('12345678901234567890')).toBe('12345678901234567890');
    expect(cellText({ a: [1, 2] })).toBe('{"a":[1,2]}');
    expect(cellText(false)).toBe('false');
  });
});
