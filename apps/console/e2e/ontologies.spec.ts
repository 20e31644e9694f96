import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { checkPage, signIn } from './support.js';

// The Ontologies pages against the real stack: Odin's demo ontologies, its links to Metis datasets
// (only those the user may read), and RDF import and export for those Heimdall lets write.

const ROUTER_URL = process.env.E2E_ROUTER_URL ?? 'http://localhost:4700/graphql';
const BUSINESS = 'https://dataos.local/ontology/business';
const PERSONAL_DATA = `${BUSINESS}#PersonalData`;

test('alice browses the business ontology with the keyboard and sees the datasets holding personal data', async ({
  page,
}) => {
  await signIn(page, 'alice', '/ontologies');
  await expect(page.getByRole('link', { name: 'DataOS business ontology' })).toBeVisible();
  // Alice may not write ontologies: no import control, and the import page says why.
  await expect(page.getByRole('link', { name: 'Import an ontology' })).toHaveCount(0);
  await checkPage(page, 'ontologies-list');

  await page.getByRole('link', { name: 'DataOS business ontology' }).click();
  await page.getByRole('searchbox', { name: 'Label contains' }).fill('e-mail');
  await page.getByRole('button', { name: 'Find' }).click();
  // An alternative label finds it too.
  await expect(
    page.getByRole('list', { name: 'Concepts found' }).getByRole('link', { name: 'Email address' }),
  ).toBeVisible();
  const tree = page.getByRole('tree', { name: 'Concepts of DataOS business ontology' });
  await expect(tree).toBeVisible();
  // Keyboard: Home, type-ahead to "Personal data", open it, step into its first child.
  await tree.getByRole('treeitem').first().focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('p');
  await page.keyboard.press('p');
  const personal = tree.getByRole('treeitem', { name: /Personal data/ });
  await expect(personal).toBeFocused();
  await expect(personal).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('ArrowRight');
  await expect(personal).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('ArrowRight');
  await expect(tree.locator('[role=treeitem][aria-level="2"]').first()).toBeFocused();
  await checkPage(page, 'ontology-tree');

  await page.keyboard.press('ArrowLeft');
  await expect(personal).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Personal data' })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(encodeURIComponent(PERSONAL_DATA)));

  // Labels by language, and the datasets holding it through its subconcepts: retail ones, never finance.
  await expect(page.getByRole('row', { name: /^de\b/ })).toContainText('Personenbezogene Daten');
  const holdings = page.getByRole('table', { name: 'Datasets holding it' });
  const customers = holdings.getByRole('link', { name: 'customer_360' });
  await expect(customers).toHaveAttribute(
    'href',
    `/datasets/${encodeURIComponent('dataos://icebase:retail/customer_360')}`,
  );
  await expect(holdings).toContainText('email');
  await expect(holdings).not.toContainText('dataos://lakehouse:finance');
  await checkPage(page, 'concept-alice');

  await page.goto('/ontologies/import');
  await expect(page.getByText(/You may not import ontologies/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Import' })).toHaveCount(0);
});

test('carol sees finance datasets too, imports Turtle (an error at its line first), browses and exports it', async ({
  page,
}) => {
  const iri = `https://e2e.dataos.local/onto-${randomBytes(4).toString('hex')}`;
  const good = [
    `@prefix ex: <${iri}#> .`,
    '@prefix owl: <http://www.w3.org/2002/07/owl#> .',
    '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .',
    `<${iri}> a owl:Ontology ; rdfs:label "E2E gadgets" .`,
    'ex:Gadget a owl:Class ; rdfs:label "Gadget"@en .',
    'ex:Widget a owl:Class ; rdfs:subClassOf ex:Gadget ; rdfs:label "Widget"@en, "Bauteil"@de .',
    '',
  ].join('\n');
  const bad = good.replace('ex:Gadget a owl:Class ;', 'ex:Gadget a owl:Class ;;; ]');

  await signIn(page, 'carol', `/ontologies/concepts/${encodeURIComponent(PERSONAL_DATA)}`);
  await expect(page.getByRole('table', { name: 'Datasets holding it' })).toContainText('dataos://lakehouse:finance');

  await page.goto('/ontologies');
  await page.getByRole('link', { name: 'Import an ontology' }).click();
  const file = page.getByLabel('Load a file');
  try {
    await file.setInputFiles({ name: 'gadgets.ttl', mimeType: 'text/turtle', buffer: Buffer.from(bad) });
    await page.getByRole('button', { name: 'Import' }).click();
    const alert = page.getByRole('alert');
    await expect(alert).toContainText(/^Line 5, column \d+:/);
    await expect(alert).toContainText('BAD_USER_INPUT');
    await expect(page.locator('.cm-lintRange-error')).toHaveCount(1);
    await checkPage(page, 'ontology-import-error');

    await file.setInputFiles({ name: 'gadgets.ttl', mimeType: 'text/turtle', buffer: Buffer.from(good) });
    await page.getByRole('button', { name: 'Import' }).click();
    const done = page.getByRole('status').filter({ hasText: 'Imported' });
    await expect(done).toContainText('E2E gadgets');
    await expect(done).toContainText('2 concepts');
    await done.getByRole('link', { name: 'E2E gadgets' }).click();

    const tree = page.getByRole('tree', { name: 'Concepts of E2E gadgets' });
    await tree.getByRole('treeitem', { name: /Gadget/ }).focus();
    await page.keyboard.press('ArrowRight');
    await expect(tree.getByRole('treeitem', { name: /Widget/ })).toHaveAttribute('aria-level', '2');

    await page.getByRole('button', { name: 'Export' }).click();
    const preview = page.getByLabel('Exported document');
    await expect(preview).toContainText('Widget');
    await expect(preview).toContainText('"Bauteil"@de');
    await expect(page.getByRole('link', { name: /Download .*\.ttl/ })).toBeVisible();
    await checkPage(page, 'ontology-export');
  } finally {
    // Odin's store is shared with other runs: remove what this test imported, as carol.
    const deleted = await page.evaluate(
      async ({ routerUrl, ontology }) => {
        const key = Object.keys(sessionStorage).find((k) => k.startsWith('oidc.user:'));
        const token = key ? (JSON.parse(sessionStorage.getItem(key)!) as { access_token: string }).access_token : '';
        const response = await fetch(routerUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({
            query: 'mutation($iri: ID!) { deleteOntology(iri: $iri) { deleted } }',
            variables: { iri: ontology },
          }),
        });
        return response.json();
      },
      { routerUrl: ROUTER_URL, ontology: iri },
    );
    expect(JSON.stringify(deleted)).not.toContain('FORBIDDEN');
  }
});
