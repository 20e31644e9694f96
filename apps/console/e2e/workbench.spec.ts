import { expect, test, type Page } from '@playwright/test';
import { checkPage, signIn } from './support.js';

// The Workbench as alice (data developer, region emea) and carol (admin, pii-reader), against the
// real stack: the Gateway masks and filters, the console only shows what it answers.

const CUSTOMERS = 'SELECT * FROM icebase.retail.customers';
const HEX_64 = /^[0-9a-f]{64}$/;

async function runSql(page: Page, sql: string) {
  const editor = page.getByRole('textbox', { name: 'SQL query' });
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(sql);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
}

/** The text of every cell of a result column, by its header's position. */
async function columnValues(page: Page, name: string): Promise<string[]> {
  const headers = await page.locator('.result-table thead th .col-name').allInnerTexts();
  const index = headers.indexOf(name);
  expect(index, `column ${name} in ${headers.join(', ')}`).toBeGreaterThanOrEqual(0);
  return page.locator(`.result-table tbody tr td:nth-child(${index + 1})`).allInnerTexts();
}

test('alice sees PII columns masked with hashed values, the policy named, and her region only', async ({ page }) => {
  await signIn(page, 'alice', '/workbench');
  await runSql(page, CUSTOMERS);
  await expect(page.locator('.result-summary')).toContainText('rows');

  const email = page.getByRole('columnheader', { name: /^email/ });
  // Odin's concepts mask before the PII.* tag defaults (priority 98 before 99): customer_id is a
  // Customer identifier, so it is hashed too.
  await expect(email).toContainText('masked: hash by concept-email');
  await expect(page.getByRole('columnheader', { name: /^full_name/ })).toContainText(
    'masked: hash by concept-identifying-data',
  );
  await expect(page.getByRole('columnheader', { name: /^customer_id/ })).toContainText(
    'masked: hash by concept-identifier',
  );
  await expect(page.getByRole('columnheader', { name: /^region/ })).not.toContainText('masked');
  const emails = await columnValues(page, 'email');
  expect(emails.length).toBeGreaterThan(5);
  for (const value of emails) expect(value).toMatch(HEX_64);
  // customers-by-region keeps emea rows for alice, and the console lists the filter.
  for (const region of await columnValues(page, 'region')) expect(region).toBe('emea');
  await expect(page.getByRole('list', { name: 'Row filters applied' })).toContainText('customers-by-region');
  await expect(page.getByRole('list', { name: 'Masked columns of dataos://icebase:retail/customers' })).toContainText(
    'email hash by concept-email',
  );

  // The run is in her history.
  await expect(page.locator('.history-list li').first()).toContainText(CUSTOMERS);
  await checkPage(page, 'workbench-alice');
});

test('carol sees the same columns in clear, exempted by pii-reader, every region', async ({ page }) => {
  await signIn(page, 'carol', '/workbench');
  await runSql(page, CUSTOMERS);
  await expect(page.locator('.result-summary')).toContainText('rows');
  const email = page.getByRole('columnheader', { name: /^email/ });
  await expect(email).toContainText('clear: pii-reader');
  await expect(email).not.toContainText('masked');
  const emails = await columnValues(page, 'email');
  expect(emails.length).toBeGreaterThan(5);
  for (const value of emails) expect(value).toContain('@');
  expect(new Set(await columnValues(page, 'region')).size).toBeGreaterThan(1);
  await checkPage(page, 'workbench-carol');
});

test('a syntax error is shown at its line and column and underlined in the editor', async ({ page }) => {
  await signIn(page, 'alice', '/workbench');
  await runSql(page, 'SELECT *\nFORM icebase.retail.customers');
  await expect(page.getByRole('alert')).toContainText('Line 2, column 6');
  await expect(page.getByRole('alert')).toContainText('BAD_USER_INPUT, SYNTAX');
  await expect(page.locator('.cm-lintRange-error')).toHaveText('icebase.retail.customers');
});

test('a dataset alice may not read is refused with the reason, and pages load by cursor as she scrolls', async ({
  page,
}) => {
  await signIn(page, 'alice', '/workbench');
  await runSql(page, 'SELECT * FROM lakehouse.finance.invoices');
  await expect(page.getByRole('alert')).toContainText('FORBIDDEN');

  await runSql(page, 'SELECT order_id FROM icebase.retail.orders ORDER BY order_id');
  await expect(page.locator('.result-summary')).toContainText('200 rows so far');
  const scroller = page.getByRole('region', { name: 'Query results' });
  await expect(async () => {
    await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await expect(page.locator('.result-summary')).toContainText(/^\d+ rows in/, { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  const total = Number((await page.locator('.result-summary').innerText()).split(' ')[0]);
  expect(total).toBeGreaterThan(200);
  // Virtualised: only the rows in view are in the DOM.
  expect(await page.locator('.result-table tbody tr').count()).toBeLessThan(100);
});

test('explain lists masks and filters without running the query', async ({ page }) => {
  await signIn(page, 'alice', '/workbench');
  const editor = page.getByRole('textbox', { name: 'SQL query' });
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText('SELECT email, region FROM icebase.retail.customers');
  await page.getByRole('button', { name: 'Explain' }).click();
  await expect(page.getByRole('heading', { name: 'Explain: masks and row filters' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Row filters applied' })).toContainText('customers-by-region');
  await expect(page.locator('.result-table')).toHaveCount(0);
  await checkPage(page, 'workbench-explain');
});

test('cancel stops waiting for a run that does not answer', async ({ page }) => {
  await signIn(page, 'alice', '/workbench');
  // Hold every run at the network (the Gateway itself has no cancel operation to exercise).
  let held = 0;
  await page.route(/\/graphql$/, async (route) => {
    const body = route.request().postDataJSON() as { operationName?: string } | null;
    if (body?.operationName === 'ConsoleRunQuery' || body?.operationName === 'ConsoleExplain') {
      held += 1;
      return;
    }
    await route.continue();
  });
  await runSql(page, CUSTOMERS);
  await expect(page.getByRole('status').filter({ hasText: 'Running' })).toBeVisible();
  expect(held).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByText(/^Cancelled\./)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeEnabled();
  await expect(page.getByRole('button', { name: 'Cancel' })).toBeDisabled();
});
