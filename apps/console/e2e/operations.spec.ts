import { randomBytes, randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { fetchDevToken, fetchServiceToken } from '@dataos/devstack';
import { E2E_PORTS } from '../../../scripts/lib/e2e-ports.js';
import { checkPage, signIn } from './support.js';

const ROUTER = `http://localhost:${E2E_PORTS.router}/graphql`;

/** A call to the e2e router as a dev user (bob ingests and archives: he is an operator). */
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

/** As `api`, answering errors too (a refused query is still a query). */
async function graphqlAs(user: string, query: string, variables: Record<string, unknown> = {}): Promise<unknown> {
  const { access_token } = await fetchDevToken(user, { issuer: `http://localhost:${E2E_PORTS.issuer}` });
  const response = await fetch(ROUTER, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${access_token}` },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

const INGEST = `mutation($input: ClusterEventsInput!) { ingestEvents(input: $input) { received applied recorded } }`;

function podEvent(name: string, rv: number, phase: string, at: Date, type = 'MODIFIED') {
  return {
    type,
    observedAt: at.toISOString(),
    pod: {
      namespace: 'e2e',
      name,
      uid: `uid-${name}`,
      resourceVersion: String(rv),
      phase,
      nodeName: 'node-a',
      labels: [{ name: 'dataos.io/resource-urn', value: 'dataos://workflow:retail/orders-ingest' }],
      conditions: [{ type: 'Ready', status: phase === 'RUNNING' ? 'TRUE' : 'FALSE' }],
      containers: [
        {
          name: 'main',
          image: 'registry.dataos.io/e2e:1.0',
          ready: phase === 'RUNNING',
          state: phase === 'RUNNING' ? 'RUNNING' : 'WAITING',
          cpuRequest: '250m',
          memoryRequest: '256Mi',
        },
      ],
    },
  };
}

/** Ingests at Caretaker itself (the router is down): bob's token, and the router's service token. */
async function ingestDirect(events: unknown[]): Promise<void> {
  const issuer = `http://localhost:${E2E_PORTS.issuer}`;
  const [{ access_token }, service] = await Promise.all([
    fetchDevToken('bob', { issuer }),
    fetchServiceToken({ issuer, audience: 'dataos-svc:caretaker' }),
  ]);
  const response = await fetch(`http://localhost:${E2E_PORTS.caretaker}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${access_token}`,
      'x-service-authorization': `Bearer ${service.access_token}`,
    },
    body: JSON.stringify({ query: INGEST, variables: { input: { pods: events } } }),
  });
  const body = (await response.json()) as { data?: { ingestEvents: { recorded: number } }; errors?: unknown[] };
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  expect(body.data!.ingestEvents.recorded).toBe(events.length);
}

const ingest = (events: unknown[]) =>
  api<{ ingestEvents: { recorded: number } }>('bob', INGEST, { input: { pods: events } });

test('bob watches pods live: a new pod and a change of phase show without reload; the pod timeline reaches the archive', async ({
  page,
}) => {
  const id = randomBytes(3).toString('hex');
  const old = `e2e-archived-${id}`;
  const fresh = `e2e-live-${id}`;
  // History older than the 7-day window, archived now: the pod page must read it back from the archive.
  const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000);
  expect((await ingest([podEvent(old, 100, 'PENDING', tenDaysAgo, 'ADDED')])).ingestEvents.recorded).toBe(1);
  const archived = await api<{ archiveHistory: { archived: number } }>(
    'bob',
    'mutation { archiveHistory { archived } }',
  );
  expect(archived.archiveHistory.archived).toBeGreaterThanOrEqual(1);

  await signIn(page, 'bob', '/operations/pods?namespace=e2e');
  await expect(page.getByRole('link', { name: 'Operations' })).toBeVisible();
  const table = page.getByRole('table', { name: 'Pods' });
  await expect(table.locator(`tr[data-pod="${old}"]`)).toContainText('pending');
  await expect(page.locator('.live-badge')).toHaveText('Live');

  // Ingested by the test, shown by the subscription: no reload, no polling.
  const loads: string[] = [];
  page.on('framenavigated', (frame) => loads.push(frame.url()));
  await ingest([podEvent(fresh, 200, 'PENDING', new Date(), 'ADDED')]);
  await expect(table.locator(`tr[data-pod="${fresh}"]`)).toContainText('pending');
  const sent = Date.now();
  await ingest([podEvent(fresh, 201, 'RUNNING', new Date()), podEvent(old, 101, 'RUNNING', new Date())]);
  await expect(table.locator(`tr[data-pod="${fresh}"]`)).toContainText('running');
  // From the ingest call to the row on screen (the issue asks for under a second in `npm run dev`).
  const shownMs = Date.now() - sent;
  console.log(`pod change shown ${shownMs} ms after the ingest call`);
  expect(shownMs).toBeLessThan(5000);
  await expect(table.locator(`tr[data-pod="${old}"]`)).toContainText('running');
  await expect(page.getByRole('list', { name: 'Pods by phase' })).toContainText('running 2');
  expect(loads).toEqual([]);
  await checkPage(page, 'operations-pods');

  // The timeline: the archived event, the recent one from MongoDB, and live ones as they come.
  await table.getByRole('link', { name: old }).click();
  await expect(page.getByRole('heading', { name: `e2e/${old}` })).toBeVisible();
  const timeline = page.getByRole('list', { name: 'Timeline' });
  await expect(page.locator('.live-badge')).toHaveText('Live');
  await expect(timeline.locator('li[data-source="ARCHIVE"]')).toContainText('pending');
  await expect(timeline.locator('li[data-source="MONGODB"]')).toContainText('running');
  await ingest([podEvent(old, 102, 'SUCCEEDED', new Date())]);
  await expect(timeline.locator('li').first()).toContainText('succeeded');
  await expect(page.getByRole('table', { name: 'Containers' })).toContainText('registry.dataos.io/e2e:1.0');
  await expect(page.getByLabel('Resource in Metis')).toContainText('dataos://workflow:retail/orders-ingest');
  await checkPage(page, 'operations-pod');
});

test('bob sees nodes with their bars, event charts, workloads and clusters', async ({ page }) => {
  await signIn(page, 'bob', '/operations/nodes');
  await expect(page.getByRole('heading', { name: 'node-c' })).toBeVisible();
  await expect(page.getByRole('meter', { name: 'CPU requested of allocatable' }).first()).toBeVisible();
  await expect(page.locator('.node-card', { hasText: 'node-c' })).toContainText('MemoryPressure');
  await checkPage(page, 'operations-nodes');

  await page.getByRole('link', { name: 'Events' }).click();
  await expect(page.getByText(/events in the last 12 hours/)).toBeVisible();
  await expect(page.locator('.recharts-bar-rectangle').first()).toBeVisible();
  await checkPage(page, 'operations-events');

  await page.getByRole('link', { name: 'Workloads' }).click();
  // Resources come from the shared Neo4j (benches add their own): check the join, not a name.
  await expect(page.getByRole('list', { name: /^Pods of / }).first()).toContainText('(running)');
  await checkPage(page, 'operations-workloads');

  await page.getByRole('link', { name: 'Clusters' }).click();
  await expect(page.getByRole('heading', { name: /minerva-default/ })).toBeVisible();
  await expect(page.locator('.live-badge')).toHaveText('Live');
  // A query bob runs (allowed or refused, it is his) appears on its cluster from queryChanges, no reload.
  const loads: string[] = [];
  page.on('framenavigated', (frame) => loads.push(frame.url()));
  const queryId = randomUUID();
  await graphqlAs(
    'bob',
    'query ($id: ID) { runQuery(sql: "SELECT region FROM icebase.retail.customers", queryId: $id) { queryId } }',
    {
      id: queryId,
    },
  );
  const row = page.getByRole('table', { name: 'Queries on minerva-default' }).locator(`tr[data-query="${queryId}"]`);
  await expect(row).toContainText('users:id:bob');
  await expect(row).toHaveAttribute('data-state', /^(succeeded|refused)$/);
  expect(loads).toEqual([]);
  await checkPage(page, 'operations-clusters');
});

test('bob keeps the live pod table across a router restart: an event ingested while it is down shows once, without reload', async ({
  page,
}) => {
  const pid = Number(process.env.E2E_STACK_PID);
  expect(pid, 'the restart hook needs the stack this run started (not one started by hand)').toBeGreaterThan(0);
  const id = randomBytes(3).toString('hex');
  const name = `e2e-restart-${id}`;
  await signIn(page, 'bob', '/operations/pods?namespace=e2e');
  const table = page.getByRole('table', { name: 'Pods' });
  await expect(page.locator('.live-badge')).toHaveText('Live');
  const loads: string[] = [];
  page.on('framenavigated', (frame) => loads.push(frame.url()));
  // One live event first: the console resumes from the cursor of the last event it delivered.
  await ingest([podEvent(name, 300, 'PENDING', new Date(), 'ADDED')]);
  const row = table.locator(`tr[data-pod="${name}"]`);
  await expect(row).toContainText('pending');

  process.kill(pid, 'SIGUSR2');
  // The router closes its sockets as it stops (1001): from then on the console has no subscription.
  await expect(page.locator('.live-badge')).toHaveText('Reconnecting…', { timeout: 20_000 });
  // Meanwhile: straight to Caretaker, with the router's service identity, as bob.
  await ingestDirect([podEvent(name, 301, 'RUNNING', new Date())]);
  // The supervisor starts the router again; the console resubscribes after its last cursor.
  await expect(page.locator('.live-badge')).toHaveText('Live', { timeout: 60_000 });
  await expect(row).toContainText('running', { timeout: 30_000 });
  // After the restart too, and nothing twice.
  await ingest([podEvent(name, 302, 'SUCCEEDED', new Date())]);
  await expect(row).toContainText('succeeded');
  await expect(row).toHaveCount(1);
  expect(loads).toEqual([]);
  await checkPage(page, 'operations-pods-after-restart');
});
