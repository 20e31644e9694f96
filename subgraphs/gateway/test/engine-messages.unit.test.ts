import { describe, expect, it } from 'vitest';
import { callerSafeMessage } from '../src/engines/messages.js';

/** Which engine planning messages a caller may read (pure rule; the engine-backed cases are in adversarial-answers). */
const context = {
  sql: 'SELECT lower(customer_id), nope FROM icebase.retail.customers c',
  columns: ['customer_id', 'email', 'region'],
  secrets: ['4f1c0ffee0ddba11'],
};

describe('callerSafeMessage', () => {
  it.each([
    ['Binder Error: Referenced column "nope" not found in FROM clause!', true],
    [
      "Binder Error: No function matches the given name and argument types 'lower(BIGINT)'. You might need to add explicit type casts.",
      true,
    ],
    ['Binder Error: Ambiguous reference to column name "customer_id" (use: "c.customer_id" or "d.customer_id")', false],
    ['Binder Error: column "email" must appear in the GROUP BY clause or must be part of an aggregate function.', true],
    [
      'Binder Error: Referenced column "region" not found in FROM clause!\nCandidate bindings: "__gw_scan.region"\nLINE 1: SELECT ...',
      true,
    ],
    ['Binder Error: Referenced table "__gw_scan" not found!', false],
    ['Binder Error: column "x" must appear in "CASE WHEN (region = \'emea\') THEN sha256(...)"', false],
    ['Binder Error: could not bind $__gw_key_0123', false],
    ['Parser Error: syntax error near 4f1c0ffee0ddba11', false],
    ["line 1:8: Column 'nope' cannot be resolved", true],
    ['line 1:8: \'(? || CAST("email" AS varchar))\' must be an aggregate expression', false],
  ])('%s → shown: %s', (message, shown) => {
    const out = callerSafeMessage(message, context);
    expect(out !== null).toBe(shown);
    if (out) {
      expect(out).not.toContain('\n');
      expect(out).not.toMatch(/line \d+:\d+/);
    }
  });
});
