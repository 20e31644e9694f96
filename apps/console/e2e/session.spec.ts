import { expect, test, type Page } from '@playwright/test';
import { fillIssuerLogin, signIn } from './support.js';

// The e2e issuer's tokens live 40 s and the console renews 15 s before expiry (e2e/stack.ts).
const accessToken = (page: Page) =>
  page.evaluate(() => {
    const key = Object.keys(sessionStorage).find((k) => k.startsWith('oidc.user:'));
    return key ? (JSON.parse(sessionStorage.getItem(key)!) as { access_token: string }).access_token : undefined;
  });

test('a session about to expire is renewed silently, without leaving the page', async ({ page }) => {
  const path = '/domains';
  await signIn(page, 'alice', path);
  const first = await accessToken(page);
  expect(first).toBeTruthy();
  await expect.poll(() => accessToken(page), { timeout: 45_000, intervals: [1000] }).not.toBe(first);
  expect(new URL(page.url()).pathname).toBe(path);
  // The renewed token works: the next page loads its data.
  await page.getByRole('link', { name: 'retail' }).click();
  await expect(page.getByRole('table', { name: 'Datasets of retail' })).toBeVisible();
});

test('when renewal fails, the user signs in again and comes back to the same page', async ({ page, context }) => {
  const path = `/datasets/${encodeURIComponent('dataos://icebase:retail/orders')}`;
  await signIn(page, 'alice', path);
  // Ending the issuer session makes the silent renewal fail (login required); once the token has
  // expired (40 s), the console sends the user to sign in.
  await context.clearCookies();
  await fillIssuerLogin(page, 'alice', 60_000);
  await page.waitForURL((url) => `${url.pathname}${url.search}` === path, { timeout: 30_000 });
  await expect(page.getByRole('heading', { level: 1, name: 'orders' })).toBeVisible();
});

test('signing out ends the session at the issuer: the next visit asks to sign in', async ({ page }) => {
  await signIn(page, 'bob', '/glossary');
  await page.getByRole('button', { name: 'Sign out' }).click();
  // oidc-provider asks for confirmation on its own page, then sends the browser back to the console.
  await page.waitForURL(/\/session\/end/);
  await page.getByRole('button', { name: /yes, sign me out/i }).click();
  // Back on the console, which finds no session and sends the browser to the issuer's login form.
  await page.waitForURL(/\/interaction\//, { timeout: 30_000 });
  await expect(page.locator('input[name=login]')).toBeVisible();
});
