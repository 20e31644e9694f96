import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import { PlanPanel } from './PlanPanel.js';
import type { Plan } from './useWorkbench.js';

const urn = 'dataos://icebase:retail/customers';
const plan = (overrides: Partial<Plan['scans'][number]> = {}): Plan => ({
  sql: 'SELECT * FROM icebase.retail.customers',
  rewrittenSql: null,
  cluster: 'minerva-default',
  datasets: [urn],
  policies: ['pii-email', 'customers-by-region'],
  scans: [
    {
      dataset: urn,
      aliases: ['customers'],
      filters: ['customers-by-region'],
      exemptions: [],
      columns: [
        { name: 'customer_id', type: 'BIGINT', tags: [], mask: null, policy: null },
        { name: 'email', type: 'VARCHAR', tags: ['PII.Email'], mask: 'HASH', policy: 'pii-email' },
        { name: 'full_name', type: 'VARCHAR', tags: ['PII.Name'], mask: 'PASS_THROUGH', policy: 'pii-reader' },
      ],
      ...overrides,
    },
  ],
});

describe('PlanPanel', () => {
  it('names each masked column with its operator and policy, exemptions, and the row filters', () => {
    render(
      <MemoryRouter>
        <PlanPanel plan={plan()} />
      </MemoryRouter>,
    );
    const masked = screen.getByRole('list', { name: `Masked columns of ${urn}` });
    expect(
      within(masked)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['email hash by pii-email (PII.Email)']);
    expect(screen.getByText(/In clear thanks to an exemption/)).toHaveTextContent('full_name pii-reader');
    const filters = screen.getByRole('list', { name: 'Row filters applied' });
    expect(filters).toHaveTextContent(`customers-by-region on ${urn}`);
    expect(screen.getByRole('link', { name: urn })).toHaveAttribute('href', `/datasets/${encodeURIComponent(urn)}`);
    expect(screen.queryByText('SQL as the Gateway runs it')).toBeNull();
  });

  it('says when nothing is masked or filtered', () => {
    render(
      <MemoryRouter>
        <PlanPanel plan={plan({ filters: [], exemptions: ['admins-all-rows'], columns: [] })} />
      </MemoryRouter>,
    );
    expect(screen.getByText('No column is masked for you.')).toBeInTheDocument();
    expect(screen.getByText(/None: you see every row/)).toBeInTheDocument();
    expect(screen.getByText(/Filters lifted by/)).toHaveTextContent('admins-all-rows');
  });
});
