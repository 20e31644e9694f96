import { describe, expect, it } from 'vitest';
import type { GraphQLError } from 'graphql';
import { assertName, MAX_NAME } from '../src/index.js';

function refusal(value: string, max?: number) {
  try {
    assertName(value, 'input.name', max);
  } catch (error) {
    const e = error as GraphQLError;
    return { code: e.extensions.code, field: e.extensions.field, message: e.message };
  }
  return null;
}

describe('assertName', () => {
  it('accepts a plain name as it is', () => {
    expect(assertName('customer_id', 'f')).toBe('customer_id');
    expect(assertName('Order Date', 'f')).toBe('Order Date');
    expect(assertName('x'.repeat(MAX_NAME), 'f')).toHaveLength(MAX_NAME);
  });

  it('refuses outer spaces, blanks, control characters and long names with the field', () => {
    expect(refusal(' email')).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.name',
      message: 'input.name must not start or end with spaces.',
    });
    expect(refusal('email\t')?.message).toBe('input.name contains control characters.');
    expect(refusal('email ')?.message).toBe('input.name must not start or end with spaces.');
    expect(refusal('   ')?.message).toBe('input.name must not be empty.');
    expect(refusal('a\u0000b')?.message).toBe('input.name contains control characters.');
    expect(refusal('x'.repeat(MAX_NAME + 1))?.message).toBe(`input.name is longer than ${MAX_NAME} characters.`);
    expect(refusal('abcd', 3)?.message).toBe('input.name is longer than 3 characters.');
  });
});
