import { expect, test, type Page } from '@playwright/test';
import { E2E_PORTS } from '../../../scripts/lib/e2e-ports.js';
import { checkPage, signIn } from './support.js';

// What Metis collates, as the console shows it: profiles through the Gateway (as Metis's service
// principal, under the masks), usage from the Gateway's finished queries, and the catalog's "Most
// used" sort. Serial: the profile carol runs is the one alice then reads.
test.describe.configure({ mode: 'serial' });

const CUSTOMERS = 'dataos://icebase:retail/customers';
// Queried by no other spec; the other datasets matching "retail products" are not in the Gateway.
const PRODUCTS = 'dataos://icebase:retail/products';
const datasetPath = (urn: string) => `/datasets/${encodeURIComponent(urn)}`;
const ROUTER = `http://localhost:${E2E_PORTS.router}/graphql`;

const profileCell = (page: Page, column: string) => page.locator(`#column-${column} .profile-cell`);

test('carol profiles customers from the console: 300 rows, created_at in clear, email withheld', async ({ page }) => {
  await signIn(page, 'carol', datasetPath(CUSTOMERS));
  const part = page.getByRole('region', { name: 'Profile', exact: true });
  await part.getByRole('button', { name: 'Profile now' }).click();
  await expect(part.getByRole('status')).toContainText(/Profiled 7 columns in/, { timeout: 30_000 });

  // The part is read again after the run: its row count and the run just made.
  await expect(part).toContainText('Rows300');
  await expect(part).toContainText(/succeeded, started (now|\d+ seconds? ago)/);
  await expect(part).toContainText('on cluster minerva-default');

  // created_at: counts, and its min and max as values (carol sees the column in clear).
  const created = profileCell(page, 'created_at');
  await expect(created).toContainText('distinct300');
  await expect(created).toContainText('nulls0 (0 %)');
  await expect(created.locator('dt', { hasText: /^min$/ })).toBeVisible();
  await expect(created.locator('dd.mono').first()).toHaveText(/^20\d\d-\d\d-\d\d/);
  await expect(created).not.toContainText('withheld');
  // email: the profiler read it masked, so there is no value to show, and the cell says so.
  const email = profileCell(page, 'email');
  await expect(email).toContainText('distinct300');
  await expect(email.locator('.withheld')).toHaveText('withheld: masked when profiled');
  await expect(email.locator('dt', { hasText: /^min$/ })).toHaveCount(0);
  await checkPage(page, 'dataset-profile-carol');
});

test('alice reads the counts of customers but no min or max, and may not profile it', async ({ page }) => {
  await signIn(page, 'alice', datasetPath(CUSTOMERS));
  const part = page.getByRole('region', { name: 'Profile', exact: true });
  await expect(part).toContainText('Rows300');
  await expect(profileCell(page, 'created_at')).toContainText('distinct300');
  // Her rows are filtered by region: a min or max could come from a row she cannot read.
  await expect(profileCell(page, 'created_at').locator('.withheld')).toHaveText('withheld: your rows are filtered');
  await expect(profileCell(page, 'region').locator('.withheld')).toHaveText('withheld: your rows are filtered');
  await expect(profileCell(page, 'email').locator('.withheld')).toHaveText('withheld: masked for you');
  await expect(page.locator('.profile-cell dt', { hasText: /^(min|max)$/ })).toHaveCount(0);

  await part.getByRole('button', { name: 'Profile now' }).click();
  await expect(part.getByRole('status')).toHaveText(
    'You may not profile this dataset: profiling needs write access to it (its stewards have it).',
  );
  await checkPage(page, 'dataset-profile-alice');
});

/** The Usage part's query count, read again (the window switch asks Metis anew). */
async function usageQueries(page: Page): Promise<number> {
  const part = page.getByRole('region', { name: 'Usage', exact: true });
  await part.getByRole('button', { name: '7 days' }).click();
  await part.getByRole('button', { name: '1 day' }).click();
  await expect(part.getByRole('button', { name: '1 day' })).toHaveAttribute('aria-pressed', 'true');
  const value = part.locator('dt', { hasText: /^Queries$/ }).locator('xpath=following-sibling::dd[1]');
  await expect(value).toHaveText(/^[\d,]+$/);
  return Number((await value.innerText()).replaceAll(',', ''));
}

test('a query alice runs through the router shows in the Usage part of products', async ({ page }) => {
  // The page's own preview would be a query of products too, reported a second later: keep it
  // from reaching the router, so the only query of products here is the one below.
  await page.route(ROUTER, (route) =>
    (route.request().postDataJSON() as { operationName?: string } | null)?.operationName === 'ConsoleDatasetPreview'
      ? route.abort()
      : route.continue(),
  );
  await signIn(page, 'alice', datasetPath(PRODUCTS));
  const part = page.getByRole('region', { name: 'Usage', exact: true });
  const before = await usageQueries(page);

  // One query as alice, with her token, through the same router the page uses.
  const answer = await page.evaluate(async (router) => {
    const key = Object.keys(sessionStorage).find((k) => k.startsWith('oidc.user:'))!;
    const token = (JSON.parse(sessionStorage.getItem(key)!) as { access_token: string }).access_token;
    const res = await fetch(router, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: '{ runQuery(sql: "SELECT sku, price FROM icebase.retail.products") { rowCount } }',
      }),
    });
    return (await res.json()) as { data?: { runQuery: { rowCount: number } }; errors?: unknown[] };
  }, ROUTER);
  expect(answer.errors).toBeUndefined();
  expect(answer.data?.runQuery.rowCount).toBeGreaterThan(0);

  await expect.poll(() => usageQueries(page), { timeout: 15_000 }).toBe(before + 1);
  await expect(part).toContainText(/Last queried(now|\d+ seconds? ago)/);
  await expect(part.getByRole('list', { name: 'Most used columns' })).toContainText('sku');
  // alice may not read everyone's history: the part says so rather than listing nobody.
  await expect(part.locator('#usage-users ~ p')).toHaveText(/Not shown to you/);
  await checkPage(page, 'dataset-usage-alice');
});

test('"Most used" orders the catalog by usage and stays in the URL', async ({ page }) => {
  await signIn(page, 'alice', '/catalog?q=retail+products&type=DATASET');
  const results = page.getByRole('list', { name: 'Search results' });
  const firstName = () => results.getByRole('listitem').first().locator('.hit-title');
  // Best match: top_products before products (a word of its name matches both).
  await expect(firstName()).toHaveText('top_products');

  await page.getByLabel('Sort by').selectOption('USAGE');
  await expect(page).toHaveURL(/[?&]sort=usage(&|$)/);
  // products was just queried (the previous test); the others are not in the Gateway, never queried.
  await expect(firstName()).toHaveText('products');
  await page.reload();
  await expect(page.getByLabel('Sort by')).toHaveValue('USAGE');
  await expect(firstName()).toHaveText('products');
  await checkPage(page, 'catalog-most-used');
});
