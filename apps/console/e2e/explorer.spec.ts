import { expect, test } from '@playwright/test';
import { checkPage, signIn } from './support.js';

// GraphiQL inside the console: bundled (no CDN), so it works without internet, and it runs
// queries as the signed-in user.

const LOCAL = new Set(['localhost', '127.0.0.1', '[::1]']);

test('GraphiQL loads with no network beyond localhost and runs a query as the user', async ({ page }) => {
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

  await checkPage(page, 'explorer');
});
