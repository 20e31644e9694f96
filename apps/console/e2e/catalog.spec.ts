import { expect, test } from '@playwright/test';
import { E2E_PORTS } from '../../../scripts/lib/e2e-ports.js';
import { checkPage, signIn } from './support.js';

const CUSTOMERS = 'dataos://icebase:retail/customers';
const datasetPath = (urn: string) => `/datasets/${encodeURIComponent(urn)}`;
const HEX_DIGEST = /^[0-9a-f]{32,64}$/;

test('alice finds customers, sees its PII columns masked and hashed in the preview', async ({ page }) => {
  await signIn(page, 'alice', '/catalog');
  await page.getByLabel('Search datasets, columns and glossary terms').fill('customer');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/\/catalog\?q=customer$/);
  const results = page.getByRole('list', { name: 'Search results' });
  await expect(results.getByRole('link', { name: 'customers', exact: true }).first()).toBeVisible();
  // Matches are marked; facets come with counts.
  await expect(results.locator('mark').first()).toHaveText(/customer/i);
  await expect(page.getByRole('group', { name: 'Domain' }).getByText('retail')).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'results for' })).toBeVisible();
  await checkPage(page, 'catalog-search-alice');

  await results.locator(`a[href="${datasetPath(CUSTOMERS)}"]`).click();
  await expect(page.getByRole('heading', { level: 1, name: 'customers' })).toBeVisible();
  await expect(page.getByLabel('URN')).toHaveText(CUSTOMERS);
  const schema = page.getByRole('table', { name: 'Schema' });
  const row = (column: string) =>
    schema.getByRole('row').filter({ has: page.getByRole('rowheader', { name: column }) });
  // PII columns: masked for alice, with the data policy that masks them.
  await expect(row('email')).toContainText(/masked: hash by concept-email/);
  await expect(row('full_name')).toContainText(/masked: hash by/);
  await expect(row('phone')).toContainText(/masked: hash by/);
  await expect(row('region')).toContainText('clear');
  await expect(row('email')).toContainText('PII.Email');
  // Odin's concept of a column, joined by the router.
  await expect(row('email').getByRole('link', { name: 'Email address' })).toBeVisible();

  const preview = page.getByRole('table', { name: 'Preview' });
  await expect(preview.getByRole('columnheader', { name: /email.*masked/ })).toBeVisible();
  const emailIndex = await preview
    .getByRole('columnheader')
    .evaluateAll((cells) => cells.findIndex((c) => c.textContent?.startsWith('email')));
  const emails = await preview.locator(`tbody tr td:nth-child(${emailIndex + 1})`).allTextContents();
  expect(emails.length).toBeGreaterThan(0);
  for (const value of emails) expect(value).toMatch(HEX_DIGEST);
  await checkPage(page, 'dataset-customers-alice');
});

test('alice opens the lineage of customers and a column’s edges', async ({ page }) => {
  await signIn(page, 'alice', `${datasetPath(CUSTOMERS)}`);
  await page.getByRole('link', { name: 'Open the lineage' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Lineage of customers/ })).toBeVisible();
  const graph = page.getByRole('region', { name: 'Lineage graph' });
  await expect(graph.locator('.react-flow__node')).toHaveCount(9);
  await expect(page.getByRole('table', { name: 'Datasets in this lineage' })).toContainText('customer_360');

  await graph
    .getByRole('list', { name: 'Columns of customers' })
    .first()
    .getByRole('button', { name: /^email/ })
    .click();
  await expect(page).toHaveURL(/column=email/);
  const columnLineage = page.getByRole('region', { name: 'Column lineage' });
  await expect(columnLineage).toContainText('customers.email → customer_360.email');
  await expect(columnLineage).toContainText('raw_customers.email → customers.email');
  await expect(graph.locator('.column-edge')).not.toHaveCount(0);

  // The depth control: one hop shows only direct neighbours.
  await page.getByLabel('Depth').fill('1');
  await expect(page.getByRole('table', { name: 'Datasets in this lineage' })).not.toContainText('sales_dashboard');
  await page.getByLabel('Depth').fill('2');
  await expect(page.getByRole('table', { name: 'Datasets in this lineage' })).toContainText('sales_dashboard');
  await checkPage(page, 'lineage-customers-alice');

  // A node opens its dataset.
  await graph.getByRole('link', { name: 'customer_360' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'customer_360' })).toBeVisible();
});

test('carol sees clear values and the finance datasets alice does not', async ({ page, browser }) => {
  await signIn(page, 'carol', datasetPath(CUSTOMERS));
  const schema = page.getByRole('table', { name: 'Schema' });
  await expect(schema.getByRole('row').filter({ hasText: 'PII.Email' })).toContainText(/clear/);
  const preview = page.getByRole('table', { name: 'Preview' });
  await expect(preview.locator('tbody tr').first()).toBeVisible();
  await expect(preview.locator('tbody')).toContainText('@');
  await checkPage(page, 'dataset-customers-carol');

  await page.goto('/catalog?q=invoices');
  const invoices = page.locator(`a[href="${datasetPath('dataos://lakehouse:finance/invoices')}"]`);
  await expect(invoices).toBeVisible();
  await checkPage(page, 'catalog-search-carol-finance');

  const alice = await browser.newPage();
  await signIn(alice, 'alice', '/catalog?q=invoices');
  await expect(alice.getByRole('status').filter({ hasText: /results? for/ })).toBeVisible();
  await expect(alice.locator(`a[href="${datasetPath('dataos://lakehouse:finance/invoices')}"]`)).toHaveCount(0);
  await alice.goto(datasetPath('dataos://lakehouse:finance/invoices'));
  await expect(alice.getByText('No dataset at')).toBeVisible();
  await alice.close();
});

test('dave, with no roles, sees an empty catalog', async ({ page }) => {
  await signIn(page, 'dave', '/catalog?q=customer');
  await expect(page.getByText('No results for “customer”.')).toBeVisible();
  await checkPage(page, 'catalog-search-dave');
  await page.goto('/domains');
  await expect(page.getByText('No domain to show.')).toBeVisible();
});

test('glossary and domain pages', async ({ page }) => {
  await signIn(page, 'alice', '/glossary');
  await expect(page.getByRole('link', { name: 'Customer', exact: true })).toBeVisible();
  await checkPage(page, 'glossary-alice');
  await page.getByRole('link', { name: 'Customer', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Customer' })).toBeVisible();
  await expect(page.locator(`a[href="${datasetPath(CUSTOMERS)}"]`)).toBeVisible();
  await checkPage(page, 'glossary-term-customer-alice');
  await page.goto('/domains');
  await page.getByRole('link', { name: 'retail' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'retail' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Datasets of retail' })).toContainText('customers');
  await checkPage(page, 'domain-retail-alice');
});

test('with Odin and the Gateway down, the dataset page shows Metis’s facts and a notice in their parts', async ({
  page,
}) => {
  // The console's requests go to a second router of the same stack whose Odin and Gateway do not answer.
  const degraded = `http://localhost:${E2E_PORTS.degradedRouter}/graphql`;
  await page.route(`http://localhost:${E2E_PORTS.router}/graphql`, (route) => route.continue({ url: degraded }));
  await signIn(page, 'alice', datasetPath(CUSTOMERS));
  await expect(page.getByRole('heading', { level: 1, name: 'customers' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Schema' })).toContainText('PII.Email');
  const notices = page.getByRole('status').filter({ hasText: 'did not answer' });
  await expect(notices.filter({ hasText: 'the knowledge graph (Odin)' }).first()).toBeVisible();
  await expect(notices.filter({ hasText: 'the query Gateway' }).first()).toBeVisible();
  await expect(page.getByRole('table', { name: 'Preview' })).toHaveCount(0);
  await checkPage(page, 'dataset-customers-services-down');
});
