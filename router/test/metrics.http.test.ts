import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Router } from '@dataos/router';
import { graphql } from '@dataos/testkit';
import { startFixture, type Fixture } from './support/fixture.js';

let fx: Fixture;
let router: Router;

beforeAll(async () => {
  fx = await startFixture({ heimdall: false });
  router = await fx.router({ ADMIN_PORT: '0' });
});

afterAll(async () => {
  await fx?.stop();
});

describe('/metrics', () => {
  it('counts requests, errors and latency per operation name, and fetches per subgraph, for Prometheus', async () => {
    await graphql(router.url, 'query Products { products(first: 2) { id rating } }');
    await graphql(router.url, 'query Products { products(first: 2) { id rating } }');
    await graphql(router.url, 'query Secret { publicInfo me }');
    await graphql(router.url, '{ publicInfo }');
    await graphql(router.url, '{ nope }');
    const res = await fetch(`${router.adminUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    expect(text).toContain('router_requests_total{operation="Products",outcome="success"} 2');
    expect(text).toContain('router_requests_total{operation="Secret",outcome="partial"} 1');
    expect(text).toContain('router_requests_total{operation="(anonymous)",outcome="success"} 1');
    expect(text).toContain('router_requests_total{operation="(invalid)",outcome="failure"} 1');
    expect(text).toContain('router_errors_total{operation="Secret",code="UNAUTHORIZED_FIELD_OR_TYPE"} 1');
    expect(text).toContain('router_errors_total{operation="(invalid)",code="GRAPHQL_VALIDATION_FAILED"} 1');
    expect(text).toMatch(/router_request_duration_seconds_bucket\{le="\+Inf",operation="Products"\} 2/);
    expect(text).toContain('router_request_duration_seconds_count{operation="Products"} 2');
    expect(text).toContain('router_subgraph_fetches_total{subgraph="catalog",outcome="ok"} 4');
    expect(text).toContain('router_subgraph_fetches_total{subgraph="reviews",outcome="ok"} 2');
    expect(text).toContain('router_subgraph_fetch_duration_seconds_count{subgraph="reviews"} 2');
    expect(text).toContain('router_authz_decisions_total{result="anonymous"} 1');
    expect(text).toContain('router_unauthorized_fields_total 1');
    expect(text).toMatch(/router_executions_total\{executor="router"\} 4/);
    expect(text).toContain('router_process_cpu_seconds_total');
  });

  it('is not served to callers on the main port; the admin port and the operator token serve it', async () => {
    const main = router.url.replace('/graphql', '');
    const open = await fetch(`${main}/metrics`);
    expect(open.status).toBe(404);
    expect(await open.text()).not.toContain('router_requests_total');
    expect(router.adminUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${router.adminUrl}/graphql`)).status).toBe(404);

    const withToken = await fx.router({ METRICS_TOKEN: 'a-long-operator-token-for-tests' });
    const base = withToken.url.replace('/graphql', '');
    expect((await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer wrong-token' } })).status).toBe(401);
    const scraped = await fetch(`${base}/metrics`, {
      headers: { authorization: 'Bearer a-long-operator-token-for-tests' },
    });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('router_requests_total');
  });
});

describe('/health', () => {
  it('tells callers the status alone; operators get the subgraphs, their URLs and why one is down', async () => {
    const plain = await fetch(router.url.replace('/graphql', '/health'));
    const body = (await plain.json()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['status']);
    expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|http:/);
    const detail = (await (await fetch(`${router.adminUrl}/health`)).json()) as {
      subgraphs: { name: string; url: string }[];
    };
    expect(detail.subgraphs.map((s) => s.name).sort()).toEqual(['catalog', 'reviews']);
    expect(detail.subgraphs[0]?.url).toMatch(/^http:\/\/127\.0\.0\.1/);
  });
});
