import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** Screenshots of every page, kept after the run (test-results/ is ignored by git). */
export const SCREENSHOT_DIR = 'test-results/screenshots';

export type DevUserName = 'alice' | 'bob' | 'carol' | 'dave';

/**
 * Opens `path` signed out, signs in on the dev issuer's own login page (user name as password,
 * as the dev issuer wants) and waits to be back on `path`.
 */
export async function signIn(page: Page, user: DevUserName, path = '/catalog'): Promise<void> {
  await page.goto(path);
  await fillIssuerLogin(page, user);
  // The issuer's paths (/auth, /interaction/...) never equal a console page's.
  await page.waitForURL((url) => `${url.pathname}${url.search}` === path, { timeout: 30_000 });
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

/** The dev issuer's login form (oidc-provider's development interactions). */
export async function fillIssuerLogin(page: Page, user: DevUserName, timeout = 30_000): Promise<void> {
  await page.waitForURL(/\/interaction\//, { timeout });
  await page.locator('input[name=login]').fill(user);
  await page.locator('input[name=password]').fill(user);
  await page.locator('button[type=submit]').click();
}

/** A full-page screenshot under SCREENSHOT_DIR/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}.png`, fullPage: true });
}

/**
 * axe-core on the page as it is: no serious or critical violation (WCAG 2.1 A and AA rules).
 * React Flow's canvas is checked too; only the library's attribution link is left out.
 */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .exclude('.react-flow__attribution')
    .analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious, serious.join('\n')).toEqual([]);
}

/** The page, screenshot and accessibility check in one: what every page of the console gets. */
export async function checkPage(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  await expectAccessible(page);
}
