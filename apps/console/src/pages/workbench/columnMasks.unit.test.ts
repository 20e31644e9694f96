import { describe, expect, it } from 'vitest';
import { appliedFilters, columnMarks, type Scan } from './columnMasks.js';

const customers: Scan = {
  dataset: 'dataos://icebase:retail/customers',
  aliases: ['customers'],
  filters: ['customers-by-region'],
  exemptions: [],
  columns: [
    { name: 'customer_id', type: 'BIGINT', tags: [], mask: null, policy: null },
    { name: 'email', type: 'VARCHAR', tags: ['PII.Email'], mask: 'HASH', policy: 'pii-email' },
    { name: 'full_name', type: 'VARCHAR', tags: ['PII.Name'], mask: 'PASS_THROUGH', policy: 'pii-reader' },
  ],
};

describe('columnMarks', () => {
  it('marks masked result columns with operator, policy and dataset, case-insensitively', () => {
    const marks = columnMarks([{ name: 'customer_id' }, { name: 'EMAIL' }, { name: 'full_name' }], [customers]);
    expect(marks[0]).toEqual({ masks: [], exemptions: [] });
    expect(marks[1]).toEqual({
      masks: [{ operator: 'HASH', policy: 'pii-email', dataset: 'dataos://icebase:retail/customers' }],
      exemptions: [],
    });
    // PASS_THROUGH is an exemption: the value is clear, and the policy that lifted the mask is named.
    expect(marks[2]).toEqual({
      masks: [],
      exemptions: [{ policy: 'pii-reader', dataset: 'dataos://icebase:retail/customers' }],
    });
  });

  it('a computed column with another name gets no mark', () => {
    expect(columnMarks([{ name: 'lower(email)' }], [customers])).toEqual([{ masks: [], exemptions: [] }]);
  });
});

describe('appliedFilters', () => {
  it('lists each filter and exemption once per dataset', () => {
    const admin: Scan = { ...customers, filters: [], exemptions: ['admins-all-rows'] };
    expect(appliedFilters([customers, customers])).toEqual({
      filters: [{ dataset: customers.dataset, policy: 'customers-by-region' }],
      exemptions: [],
    });
    expect(appliedFilters([admin]).exemptions).toEqual([{ dataset: customers.dataset, policy: 'admins-all-rows' }]);
  });
});
