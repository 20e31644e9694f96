import { describe, expect, it } from 'vitest';
import { columnsUsed } from '../src/usage/store.js';

describe('columnsUsed', () => {
  const cols = ['customer_id', 'email', 'Region', 'full name'];
  it('finds the dataset columns a query names, case-insensitively, quoted or not', () => {
    expect(columnsUsed('SELECT EMAIL, c."full name" FROM x.y.customers c WHERE region = 1', cols)).toEqual([
      'email',
      'Region',
      'full name',
    ]);
  });
  it('takes every column for a star, none for a query naming none', () => {
    expect(columnsUsed('SELECT * FROM x.y.customers', cols)).toEqual(cols);
    expect(columnsUsed('SELECT c.* FROM x.y.customers c', cols)).toEqual(cols);
    expect(columnsUsed("SELECT count(*) AS emails, 2 * 3 FROM x.y.customers WHERE 'email' <> ''", cols)).toEqual([]);
  });
});
