import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { fetchDevToken } from '@dataos/devstack';
import { E2E_PORTS } from '../../../scripts/lib/e2e-ports.js';
import { checkPage, signIn } from './support.js';

const ROUTER = `http://localhost:${E2E_PORTS.router}/graphql`;
const CUSTOMERS = 'dataos://icebase:retail/customers';
const CUSTOMER_360 = 'dataos://icebase:retail/customer_360';
const datasetPath = (urn: string) => `/datasets/${encodeURIComponent(urn)}`;

async function api<T>(user: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const { access_token } = await fetchDevToken(user, { issuer: `http://localhost:${E2E_PORTS.issuer}` });
  const response = await fetch(ROUTER, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${access_token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data!;
}

test('carol sees tags inherited through column lineage, decides suggestions, and narrows a search by concept', async ({
  page,
}) => {
  // A dataset of this run, fed by customers.email, removed at the end (the demo catalog stays as it is).
  const name = `signups_${randomBytes(3).toString('hex')}`;
  const urn = `dataos://icebase:e2e/${name}`;
  await api('carol', `mutation ($input: IngestInput!) { ingest(input: $input) { created } }`, {
    input: {
      source: { name: 'icebase' },
      datasets: [
        {
          urn,
          layer: 'raw',
          columns: [
            { name: 'contact_email', type: 'varchar' },
            { name: 'region', type: 'varchar' },
          ],
        },
      ],
    },
  });
  try {
    await api('carol', `mutation ($input: AddLineageInput!) { addLineage(input: $input) { upstreamUrn } }`, {
      input: {
        upstream: CUSTOMERS,
        downstream: urn,
        job: 'e2e-signups',
        columns: [{ upstream: 'email', downstream: 'contact_email', transformation: 'copy' }],
      },
    });

    // The demo: customer_360.email comes from customers.email, and says so.
    await signIn(page, 'carol', datasetPath(CUSTOMER_360));
    const schema = page.getByRole('table', { name: 'Schema' });
    const row = (column: string) =>
      schema.getByRole('row').filter({ has: page.getByRole('rowheader', { name: column, exact: true }) });
    await expect(row('email').getByRole('list', { name: 'Inherited classifications' })).toContainText(
      'PII.Email from customers.email (customers.email → customer_360.email)',
    );

    await page.goto(datasetPath(urn));
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
    const inherited = row('contact_email').getByRole('list', { name: 'Inherited classifications' });
    await expect(inherited).toContainText(`PII.Email from customers.email (customers.email → ${name}.contact_email)`);
    const suggested = page.getByRole('table', { name: 'Suggested classifications' });
    await expect(suggested.getByRole('row')).toHaveCount(3);
    await expect(suggested).toContainText('The name "contact_email" reads as an e-mail address.');
    await checkPage(page, 'dataset-classifications-carol');

    await suggested.getByRole('button', { name: 'Reject concept Email address for contact_email' }).click();
    await expect(
      page.getByRole('status').filter({ hasText: 'Rejected: Email address for contact_email.' }),
    ).toBeVisible();
    await expect(suggested.getByRole('row')).toHaveCount(2);
    await suggested.getByRole('button', { name: 'Accept tag PII.Email for contact_email' }).click();
    // A tagged column has no suggestions left; it holds its own tag as well as the inherited one.
    await expect(suggested).toHaveCount(0);
    await expect(row('contact_email').locator('ul.chips:not([aria-label]) li')).toHaveText(['PII.Email']);
    const saved = await api<{ dataset: { columns: { name: string; tags: string[] }[] } }>(
      'carol',
      'query ($urn: ID!) { dataset(urn: $urn) { columns { name tags } } }',
      { urn },
    );
    expect(saved.dataset.columns.find((c) => c.name === 'contact_email')!.tags).toEqual(['PII.Email']);

    // The source of an inherited tag is a link to its column.
    await inherited.getByRole('link', { name: 'customers.email', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'customers' })).toBeVisible();
    await expect(page).toHaveURL(/#column-email$/);

    // Search narrowed by an Odin concept held by the hits.
    await page.goto('/catalog?q=email');
    const facet = page.getByRole('group', { name: 'Concept' });
    await facet.getByLabel(/^Email address/).check();
    await expect(page).toHaveURL(/concept=/);
    await expect(page.getByRole('status').filter({ hasText: 'shown holding the chosen concept' })).toBeVisible();
    const results = page.getByRole('list', { name: 'Search results' });
    await expect(results.getByRole('listitem').first()).toBeVisible();
    await checkPage(page, 'catalog-concept-facet-carol');
  } finally {
    await api('carol', 'mutation ($t: CatalogTargetInput!) { hardDelete(target: $t) { purged } }', {
      t: { dataset: urn },
    });
  }
});
