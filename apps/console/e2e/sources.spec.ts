import { expect, test } from '@playwright/test';
import { checkPage, signIn } from './support.js';

// The Sources pages against the stack's Metis, which scans the devstack's PostgreSQL crmdb only on
// demand (METIS_SCANS, everySeconds 0; scripts/lib/e2e-stack.ts). carol (admin) may write
// dataos://crmdb; alice may not even read it.
const CRMDB_PASSWORD = process.env.CRMDB_PASSWORD ?? 'crm-reader-dev';

test('carol scans crmdb from the Sources page: the run goes RUNNING to SUCCEEDED, 8 found, and shows in the history', async ({
  page,
}) => {
  // Every answer the page gets, to look for the password in them.
  const bodies: Promise<string>[] = [];
  page.on('response', (response) => {
    bodies.push(response.text().catch(() => ''));
  });
  await signIn(page, 'carol', '/catalog');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sources' }).click();
  const row = page.getByRole('table', { name: 'Sources' }).getByRole('row').filter({ hasText: 'crmdb' });
  await expect(row).toContainText('postgres');
  await expect(row).toContainText('on demand');
  await checkPage(page, 'sources');

  await row.getByRole('link', { name: 'crmdb' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'crmdb' })).toBeVisible();
  const scans = page.getByRole('region', { name: 'Scans' });
  const answered = page.waitForResponse(
    (r) => (r.request().postDataJSON() as { operationName?: string } | null)?.operationName === 'ConsoleScanDepot',
  );
  await scans.getByRole('button', { name: 'Scan now' }).click();
  // The mutation answers at once, with the run RUNNING...
  const run = ((await (await answered).json()) as { data: { scanDepot: { id: string; status: string } } }).data
    .scanDepot;
  expect(run.status).toBe('RUNNING');
  // ... and the page follows it until it has ended.
  await expect(scans.getByRole('status')).toContainText('Scan succeeded: 8 found', { timeout: 30_000 });
  const first = scans.getByRole('table', { name: 'Scans of crmdb' }).locator(`tr[data-run="${run.id}"]`);
  await expect(first).toContainText('on demand by carol');
  await expect(first).toContainText('succeeded');
  await expect(first.locator('td').nth(4)).toHaveText('8');
  await expect(scans.getByRole('button', { name: 'Scan now' })).toBeEnabled();

  // The scanned tables and views are its datasets, each a link to its page.
  const datasets = page.getByRole('table', { name: 'Datasets of crmdb' });
  await expect(datasets.getByRole('link', { name: 'order_totals' })).toBeVisible();
  await checkPage(page, 'source-crmdb-carol');

  // A dataset's Source fact leads back here.
  await datasets.getByRole('link', { name: 'order_totals' }).click();
  await page.getByRole('link', { name: 'crmdb', exact: true }).click();
  await expect(page).toHaveURL(/\/sources\/crmdb$/);

  // The password is in no answer the page got, nor in the page.
  const everything = [...(await Promise.all(bodies)), await page.content()].join('\n');
  expect(bodies.length).toBeGreaterThan(5);
  expect(everything).toContain('order_totals');
  expect(everything).not.toContain(CRMDB_PASSWORD);
  expect(everything).not.toContain('postgres://');
});

test('alice may not scan crmdb, and is told why in words', async ({ page }) => {
  await signIn(page, 'alice', '/sources/crmdb');
  await expect(page.getByRole('heading', { level: 1, name: 'crmdb' })).toBeVisible();
  // She may not read the depot: Metis tells her no schedule and no runs.
  await expect(page.locator('dl.facts')).toContainText('not scanned');
  const scans = page.getByRole('region', { name: 'Scans' });
  await expect(scans).toContainText('No scan of crmdb shown to you.');
  await scans.getByRole('button', { name: 'Scan now' }).click();
  await expect(scans.getByRole('status')).toHaveText(
    'You may not scan crmdb: scanning needs write access to the depot (dataos://crmdb), which its administrators have.',
  );
  await checkPage(page, 'source-crmdb-alice');
});
