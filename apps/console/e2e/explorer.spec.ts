import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

// GraphiQL inside the console: bundled (no CDN), so it works without internet, and it runs
// queries as the signed-in user.

async function signIn(page: Page, user: string, path: string) {
  await page.goto(path);
  await page.fill('input[name=login]', user);
  await page.fill('input[name=password]', user);
  await page.click('button[type=submit]');
  await page.waitForURL((url) => url.pathname === path);
}

const LOCAL = new Set(['localhost', '127.0.0.1', '[::1]']);

test('GraphiQL loads with no network beyond localhost and runs a query as the user', async ({ page }, testInfo) => {
  await signIn(page, 'alice', '/catalog');
  // From here on, every request must stay on this machine (the issuer's own login page is not ours).
  const outside: string[] = [];
  const authorizations: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if ((url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'ws:') && !LOCAL.has(url.hostname)) {
      outside.push(request.url());
    }
    if (request.method() === 'POST' && url.pathname === '/graphql') {
      authorizations.push(request.headers().authorization ?? '');
    }
  });
  await page.getByRole('link', { name: 'GraphQL explorer' }).click();
  await expect(page.getByRole('heading', { name: 'GraphQL explorer' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Open Apollo Sandbox' })).toBeVisible();
  const run = page.getByRole('button', { name: /Execute query/ });
  await expect(run).toBeVisible();
  // Monaco is up when the default query shows in the editor.
  await expect(page.locator('.graphiql-query-editor')).toContainText('whoami');
  await run.click();
  const response = page.locator('.graphiql-response');
  await expect(response).toContainText('users:id:alice', { timeout: 20_000 });
  await expect(response).toContainText('DataOS business ontology');
  expect(authorizations.length).toBeGreaterThan(0);
  for (const header of authorizations) expect(header).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
  expect(outside).toEqual([]);

  await page.screenshot({ path: testInfo.outputPath('explorer.png'), fullPage: true });
  await testInfo.attach('explorer', { path: testInfo.outputPath('explorer.png'), contentType: 'image/png' });
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
});
