import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { fetchDevToken } from '@dataos/devstack';
import { E2E_PORTS } from '../../../scripts/lib/e2e-ports.js';
import { checkPage, signIn } from './support.js';

const ROUTER = `http://localhost:${E2E_PORTS.router}/graphql`;

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

test('carol creates an access policy: the error shows at its field, then the valid one decides, and a conflict is explained', async ({
  page,
}) => {
  const name = `e2e-dave-metis-${randomBytes(3).toString('hex')}`;
  await signIn(page, 'carol', '/policies/access/new');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Subjects').fill('users:id:dave');
  await page.getByLabel('Actions').fill('reed');
  await page.getByLabel('Object paths').fill('/metis/**');
  await page.getByRole('button', { name: 'Create policy' }).click();
  const actions = page.getByLabel('Actions');
  await expect(actions).toHaveAttribute('aria-invalid', 'true');
  await expect(actions).toHaveAccessibleDescription(/Unknown action "reed"/);
  await checkPage(page, 'policies-access-error');

  await actions.fill('read');
  await page.getByRole('button', { name: 'Create policy' }).click();
  await expect(page.getByRole('heading', { name })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();

  // Dave asks; the decision names the new policy.
  const decided = await api<{ decide: { allowed: boolean; policies: string[] } }>(
    'dave',
    'query { decide(input: { action: "read", object: { path: "/metis/datasets" } }) { allowed policies } }',
  );
  expect(decided.decide).toEqual({ allowed: true, policies: [name] });
  await page.getByRole('link', { name: 'Decisions made by this policy' }).click();
  const decisions = page.getByRole('table', { name: 'Decisions' });
  await expect(decisions.getByRole('row', { name: /users:id:dave/ }).first()).toContainText('allowed');
  await expect(decisions).toContainText(name);
  await expect(page.locator('.live-badge')).toHaveText('Live');
  // A new decision appears in place (decisionLogged with the page's filter), no reload, once.
  const loads: string[] = [];
  page.on('framenavigated', (frame) => loads.push(frame.url()));
  const rows = decisions.getByRole('row', { name: /users:id:dave/ });
  const before = await rows.count();
  await api('dave', 'query { decide(input: { action: "read", object: { path: "/metis/live-check" } }) { allowed } }');
  await expect(decisions.getByRole('row', { name: /\/metis\/live-check/ })).toHaveCount(1);
  await expect(rows).toHaveCount(before + 1);
  expect(loads).toEqual([]);
  await checkPage(page, 'policies-decisions');

  // Someone else changes the policy while carol edits it: she is told live, and saving is refused with why.
  await page.goto(`/policies/access/${name}`);
  await page.getByRole('button', { name: 'Edit' }).click();
  await page.getByLabel('Description').fill('carol was here');
  const { policy } = await api<{ policy: { version: number } }>(
    'carol',
    `query { policy(name: "${name}") { version } }`,
  );
  await api(
    'carol',
    'mutation($name: ID!, $input: PolicyInput!) { updatePolicy(name: $name, input: $input) { version } }',
    {
      name,
      input: {
        name,
        subjects: [['users:id:dave']],
        actions: ['read'],
        objects: { paths: ['/metis/**'] },
        description: 'changed elsewhere',
      },
    },
  );
  await expect(page.getByText(/changed this policy since you opened it/)).toBeVisible();
  await page.getByRole('button', { name: 'Save policy' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Someone else changed this policy' })).toContainText(
    `since version ${policy.version}`,
  );

  // Delete it (the run's other specs must not meet it).
  await page.goto(`/policies/access/${name}`);
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('heading', { name: 'Access policies' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Access policies' })).not.toContainText(name);
});

test('carol creates a mask and the preview as alice shows it, beside why alice sees hashed e-mails', async ({
  page,
}) => {
  const name = `e2e-region-${randomBytes(3).toString('hex')}`;
  await signIn(page, 'carol', '/policies/data/new');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Priority').fill('500');
  await page.getByLabel('Datasets').fill('dataos://icebase:retail/customers');
  await page.getByLabel('User tags').fill('roles:id:data-dev');
  await page.getByLabel('Column names').fill('region');
  await page.getByLabel('Mask').selectOption('REDACT');
  await page.getByRole('button', { name: 'Create data policy' }).click();
  await expect(page.getByLabel('Priority')).toHaveAccessibleDescription(/priority must be an integer from 1 to 100/);
  await page.getByLabel('Priority').fill('5');
  await page.getByRole('button', { name: 'Create data policy' }).click();
  await expect(page.getByRole('heading', { name })).toBeVisible();
  await checkPage(page, 'policies-data-policy');

  await page.getByRole('link', { name: 'Preview it as a subject' }).click();
  await page.getByLabel('User id').fill('alice');
  await page.getByLabel('Their token’s tags (roles, groups)').fill('roles:id:data-dev');
  await page.getByRole('button', { name: 'Preview' }).click();
  const table = page.getByRole('table', { name: /What alice sees of customers/ });
  await expect(table.locator('tr[data-column="region"]')).toContainText('redacted value');
  await expect(table.locator('tr[data-column="region"]')).toContainText(name);
  await expect(table.locator('tr[data-column="email"]')).toContainText('hashed value');
  await expect(table.locator('tr[data-column="email"]')).toContainText('pii-email');
  await expect(page.getByRole('list', { name: 'Row filters' })).toContainText('customers-by-region');
  await checkPage(page, 'policies-preview');
  // Why alice may read customers at all: her decisions there, with reason and policy, one click away.
  await api('alice', 'query { dataset(urn: "dataos://icebase:retail/customers") { name } }');
  await page.getByRole('link', { name: /alice’s decisions on customers/ }).click();
  const decided = page.getByRole('table', { name: 'Decisions' });
  await expect(decided.getByRole('row', { name: /users:id:alice/ }).first()).toContainText('allowed');
  await expect(decided).toContainText('dataos://icebase:retail/customers');
  await page.goBack();

  await page.getByRole('link', { name }).first().click();
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Delete data policy' }).click();
  await expect(page.getByRole('table', { name: 'Data policies' })).not.toContainText(name);
  await checkPage(page, 'policies-data');
});

test('alice sees no Operations or policy screens', async ({ page }) => {
  await signIn(page, 'alice', '/catalog');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Catalog' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Operations' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Policies' })).toHaveCount(0);
  await page.goto('/operations/pods');
  await expect(page.getByRole('alert')).toContainText('You may not see Operations');
  await expect(page.getByRole('table', { name: 'Pods' })).toHaveCount(0);
  await checkPage(page, 'operations-alice');
  await page.goto('/policies/access');
  await expect(page.getByRole('alert')).toContainText('You may not see policies');
  await checkPage(page, 'policies-alice');
});
