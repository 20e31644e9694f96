import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildHelmRender, renderChart, type K8sObject, type Rendering } from '../tools/helm-render.js';
import { diagramEdges, edgeKey, reachableEdges, type Edge, type Node } from './network-graph.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const TEST_VALUES = here('../helm/dataos-supergraph/ci/test-values.yaml');
const DEV_VALUES = here('./fixtures/dev-issuer-values.yaml');
const NO_SCANS_VALUES = here('./fixtures/no-scans-values.yaml');
const BROKEN_CHART = here('./fixtures/broken-chart');
const README = here('../README.md');
const NS = 'dataos';

type Endpoint = {
  cidrs?: string[];
  namespaceSelector?: { matchLabels?: Record<string, string> };
  podSelector?: { matchLabels?: Record<string, string> };
  ports?: { port: number; protocol?: string }[];
};

const camel = (kebab: string) => kebab.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
const firstHost = (cidr: string) => {
  const [base, bits] = cidr.split('/');
  const parts = base!.split('.').map(Number);
  if (Number(bits) < 32) parts[3]! += 1;
  return parts.join('.');
};

/**
 * The world the policies are judged in: our workloads (from the rendered Deployments), each
 * external endpoint where the values say it is, and three that must reach nothing and be reached
 * by nothing: a stranger pod in our namespace, a pod elsewhere wearing the router's labels, and
 * an address on the internet.
 */
function world(r: Rendering): Node[] {
  const nodes: Node[] = [];
  let ip = 10;
  const nsLabels = (ns: string) => ({ 'kubernetes.io/metadata.name': ns });
  for (const d of r.objects.filter((o) => o.kind === 'Deployment')) {
    const tpl = (
      d.spec as {
        template: {
          metadata: { labels: Record<string, string> };
          spec: { containers: { ports?: { containerPort: number }[] }[] };
        };
      }
    ).template;
    nodes.push({
      name: camel(tpl.metadata.labels['app.kubernetes.io/component']!),
      namespace: NS,
      namespaceLabels: nsLabels(NS),
      labels: tpl.metadata.labels,
      ip: `10.244.0.${ip++}`,
      ports: tpl.spec.containers.flatMap((c) => (c.ports ?? []).map((p) => `${p.containerPort}/TCP`)),
    });
  }
  const endpoints = r.values.endpoints as Record<string, Endpoint>;
  for (const [name, e] of Object.entries(endpoints)) {
    const ports = (e.ports ?? [{ port: 443 }]).map((p) => `${p.port}/${p.protocol ?? 'TCP'}`);
    if (e.cidrs?.length) nodes.push({ name, ip: firstHost(e.cidrs[0]!), ports });
    else {
      const ns = e.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] ?? `${name}-ns`;
      nodes.push({
        name,
        namespace: ns,
        namespaceLabels: { ...nsLabels(ns), ...e.namespaceSelector?.matchLabels },
        labels: e.podSelector?.matchLabels ?? {},
        ip: `10.245.0.${ip++}`,
        ports,
      });
    }
  }
  const router = nodes.find((n) => n.name === 'router')!;
  nodes.push(
    {
      name: 'stranger',
      namespace: NS,
      namespaceLabels: nsLabels(NS),
      labels: { app: 'stranger' },
      ip: '10.244.1.1',
      ports: ['8080/TCP'],
    },
    {
      name: 'lookalike',
      namespace: 'other',
      namespaceLabels: nsLabels('other'),
      labels: router.labels!,
      ip: '10.244.2.1',
      ports: ['4000/TCP'],
    },
    { name: 'internet', ip: '8.8.8.8', ports: ['443/TCP', '80/TCP'] },
  );
  return nodes;
}

const keys = (edges: Edge[]) => edges.map(edgeKey).sort();
const graphOf = (objects: { kind: string }[], nodes: Node[]) =>
  keys(reachableEdges(objects, nodes, NS, ['1/TCP', '65535/UDP']));
const architecture = () => keys(diagramEdges(readFileSync(README, 'utf8')));

const byKind = (r: Rendering, kind: string) => r.objects.filter((o) => o.kind === kind);
const named = (r: Rendering, kind: string, name: string) => byKind(r, kind).find((o) => o.metadata.name === name)!;
type Container = {
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef: { key: string; name: string } } }[];
  securityContext: Record<string, unknown>;
  readinessProbe: { httpGet: { path: string } };
  livenessProbe: { httpGet: { path: string } };
  resources: { requests?: unknown; limits?: unknown };
};
const containerOf = (d: K8sObject) =>
  (d.spec as { template: { spec: { containers: Container[] } } }).template.spec.containers[0]!;
const envOf = (r: Rendering, component: string) =>
  Object.fromEntries(
    (containerOf(named(r, 'Deployment', `dataos-${component}`)).env ?? []).map((e) => [
      e.name,
      e.value ?? `secret:${e.valueFrom!.secretKeyRef.key}`,
    ]),
  );

let rendering: Rendering;
beforeAll(async () => {
  await buildHelmRender(); // cached: built by `npm run devstack -- --build-only`
  rendering = await renderChart({ valuesFiles: [TEST_VALUES] });
}, 600_000);

describe('the Helm chart, rendered by Helm and checked against the Kubernetes API types', () => {
  it('renders valid objects: router, five subgraphs and the console, each with its Service, account, HPA and PDB', () => {
    expect(rendering.errors).toEqual([]);
    const components = byKind(rendering, 'Deployment')
      .map((d) => d.metadata.name)
      .sort();
    expect(components).toEqual([
      'dataos-caretaker',
      'dataos-console',
      'dataos-gateway',
      'dataos-heimdall',
      'dataos-metis',
      'dataos-odin',
      'dataos-router',
    ]);
    for (const kind of ['Service', 'ServiceAccount', 'HorizontalPodAutoscaler', 'PodDisruptionBudget'])
      expect(
        byKind(rendering, kind)
          .map((o) => o.metadata.name)
          .sort(),
        kind,
      ).toEqual(components);
    expect(byKind(rendering, 'Ingress').map((o) => o.metadata.name)).toEqual(['dataos-router']);
  });

  it('runs every pod non-root on a read-only root, probed on its health path, with resources', () => {
    for (const d of byKind(rendering, 'Deployment')) {
      const pod = (d.spec as { template: { spec: { securityContext: { runAsNonRoot: boolean } } } }).template.spec;
      const c = containerOf(d);
      expect(pod.securityContext.runAsNonRoot, d.metadata.name).toBe(true);
      expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
      expect(c.readinessProbe.httpGet.path).toBe(d.metadata.name === 'dataos-console' ? '/healthz' : '/health');
      expect(c.livenessProbe.httpGet.path).toMatch(/^\/health/);
      expect(c.resources.requests).toBeTruthy();
    }
  });

  it('gives each subgraph its own client and trusts exactly the services that call it', () => {
    const callers = (c: string) => envOf(rendering, c).SERVICE_TRUSTED_CALLERS?.split(',').sort();
    expect(callers('heimdall')).toEqual([
      'dataos-router',
      'dataos-svc-caretaker',
      'dataos-svc-gateway',
      'dataos-svc-metis',
      'dataos-svc-odin',
    ]);
    expect(callers('metis')).toEqual([
      'dataos-router',
      'dataos-svc-caretaker',
      'dataos-svc-gateway',
      'dataos-svc-odin',
    ]);
    expect(callers('odin')).toEqual(['dataos-router', 'dataos-svc-gateway']);
    expect(callers('gateway')).toEqual(['dataos-router', 'dataos-svc-metis']);
    // And the same as the diagram's arrows into each subgraph from a service with a client.
    const clients = rendering.values.serviceIdentity as { clients: Record<string, string> };
    for (const subgraph of ['heimdall', 'metis', 'odin', 'gateway', 'caretaker']) {
      const drawn = diagramEdges(readFileSync(README, 'utf8'))
        .filter((e) => e.to === subgraph && e.from in clients.clients)
        .map((e) => clients.clients[e.from]!);
      expect(callers(subgraph), subgraph).toEqual([...new Set(drawn)].sort());
    }
    expect(callers('caretaker')).toEqual(['dataos-router']);
    expect(envOf(rendering, 'metis')).toMatchObject({
      SERVICE_IDENTITY: 'required',
      SERVICE_CLIENT_ID: 'dataos-svc-metis',
      SERVICE_CLIENT_SECRET: 'secret:metis-client-secret',
    });
    // The router is called by users, not services: it sends its identity and trusts no caller.
    expect(envOf(rendering, 'router')).toMatchObject({
      SERVICE_IDENTITY: 'required',
      SERVICE_CLIENT_ID: 'dataos-router',
      ROUTER_CLIENT_SECRET: 'secret:router-client-secret',
    });
    expect(envOf(rendering, 'router').SERVICE_TRUSTED_CALLERS).toBeUndefined();
  });

  it('lets each workload reach exactly what the README diagram draws, and nothing else', () => {
    expect(graphOf(rendering.objects, world(rendering))).toEqual(architecture());
  });
});

describe('the graph check fails on a mutated rendering', () => {
  const without = (name: string) => rendering.objects.filter((o) => o.metadata.name !== name);

  it('a missing allow (the callee side alone is enough) is a missing edge', () => {
    const graph = graphOf(without('dataos-router-to-metis-ingress'), world(rendering));
    expect(architecture().filter((e) => !graph.includes(e))).toEqual(['router -> metis 4002/TCP']);
  });

  it('an extra allow is an extra edge', () => {
    const extra = structuredClone(named(rendering, 'NetworkPolicy', 'dataos-odin-to-metis-egress'));
    extra.metadata.name = 'dataos-odin-to-everything';
    (extra.spec as { egress: unknown[] }).egress = [{}];
    const graph = graphOf([...rendering.objects, extra], world(rendering));
    const added = graph.filter((e) => !architecture().includes(e));
    expect(added).toContain('odin -> internet 443/TCP');
    expect(added).toContain('odin -> lookalike 4000/TCP');
    // The stranger in our namespace still refuses: the default deny covers its ingress.
    expect(added).not.toContain('odin -> stranger 8080/TCP');
    expect(added.every((e) => e.startsWith('odin -> '))).toBe(true);
  });

  it("a missing allow to a scanned source is a missing edge (Metis's depot scans)", () => {
    const graph = graphOf(without('dataos-metis-to-postgres-egress'), world(rendering));
    expect(architecture().filter((e) => !graph.includes(e))).toEqual(['metis -> postgres 5432/TCP']);
  });

  it('a missing allow for the scraper is a missing edge (the router side alone is enough)', () => {
    const graph = graphOf(without('dataos-monitoring-to-router-ingress'), world(rendering));
    expect(architecture().filter((e) => !graph.includes(e))).toEqual(['monitoring -> router 4000/TCP']);
  });

  it('without the default deny, what has no allow of its own is open', () => {
    const graph = graphOf(without('dataos-default-deny'), world(rendering));
    const added = graph.filter((e) => !architecture().includes(e));
    // The console has no egress allow at all, so the whole world opens to it.
    expect(added).toContain('console -> internet 443/TCP');
    expect(added).toContain('console -> stranger 8080/TCP');
  });
});

describe("Metis's depot scans and metrics scraping", () => {
  it('passes the scan list as a plain value with no password, each password from the Secret', () => {
    const env = envOf(rendering, 'metis');
    const scans = JSON.parse(env.METIS_SCANS!) as Record<string, unknown>[];
    expect(scans).toEqual([
      {
        depot: 'crmdb',
        type: 'postgres',
        url: 'postgres://metis_scanner@crmdb.example.internal:5432/crmdb',
        everySeconds: 3600,
        passwordEnv: 'METIS_SCAN_0_PASSWORD',
      },
      {
        depot: 'icebase',
        type: 'trino',
        url: 'http://dataos-metis@trino.dataos-stores.svc:8080',
        catalog: 'icebase',
        everySeconds: 3600,
      },
    ]);
    expect(env.METIS_SCAN_0_PASSWORD).toBe('secret:crmdb-password');
    // The password is in the Secret alone: in no ConfigMap, no env value, no other object.
    const password = (rendering.values.secrets as { values: Record<string, string> }).values['crmdb-password']!;
    const holders = rendering.objects.filter((o) => JSON.stringify(o).includes(password)).map((o) => o.kind);
    expect(holders).toEqual(['Secret']);
    expect(byKind(rendering, 'ConfigMap')).toEqual([]);
  });

  it("gives Metis the Gateway (profiles, readers' masks) and its profile schedule as a plain value", () => {
    const env = envOf(rendering, 'metis');
    expect(env.METIS_GATEWAY_URL).toMatch(/^http:\/\/[a-z0-9-]+-gateway(\.[a-z0-9.-]+)?:4004\/graphql$/);
    expect(JSON.parse(env.METIS_PROFILES!)).toEqual([
      { urn: 'dataos://icebase:retail/customers', everySeconds: 3600, cluster: 'minerva-trino' },
    ]);
    // The Gateway trusts Metis's client: the hop the profiles take.
    expect(envOf(rendering, 'gateway').SERVICE_TRUSTED_CALLERS!.split(',')).toContain(
      envOf(rendering, 'metis').SERVICE_CLIENT_ID,
    );
  });

  it('without scans or metrics, Metis reaches no source and nothing scrapes: the diagram less those arrows', async () => {
    const r = await renderChart({ valuesFiles: [TEST_VALUES, NO_SCANS_VALUES] });
    expect(r.errors).toEqual([]);
    const optional = /^(metis -> (postgres|trino)|monitoring -> router) /;
    expect(architecture().filter((e) => optional.test(e))).toHaveLength(3);
    expect(graphOf(r.objects, world(r))).toEqual(architecture().filter((e) => !optional.test(e)));
    expect(envOf(r, 'metis').METIS_SCANS).toBeUndefined();
    expect(Object.keys(envOf(r, 'metis')).filter((k) => k.startsWith('METIS_SCAN_'))).toEqual([]);
  });

  it('refuses a password in a scan URL and a scan whose endpoint does not exist', async () => {
    const inUrl = await renderChart({
      valuesFiles: [TEST_VALUES, here('./fixtures/scan-password-in-url-values.yaml')],
    });
    expect(inUrl.errors.join('\n')).toMatch(/\/metis\/scans\/0\/url/);
    expect(inUrl.errors.join('\n')).not.toContain('s3cret-pw');
    expect(inUrl.objects).toEqual([]);
    const typo = await renderChart({
      valuesFiles: [TEST_VALUES, here('./fixtures/scan-unknown-endpoint-values.yaml')],
    });
    expect(typo.errors.join('\n')).toMatch(/metis\.scans\[0\]\.endpoint: "postgress" is not an entry of endpoints/);
    expect(typo.objects).toEqual([]);
  });
});

describe('rendering refuses what would be unsafe or invalid', () => {
  it('the defaults alone name what a real install must set (no issuer, no open egress)', async () => {
    const r = await renderChart();
    expect(r.errors.join('\n')).toMatch(/oidc\.issuer is required|endpoints\.\w+: set cidrs/);
    expect(r.objects).toEqual([]);
  });

  it('with existingSecret, creates no Secret and reads every secret from that one', async () => {
    const r = await renderChart({ valuesFiles: [TEST_VALUES, here('./fixtures/existing-secret-values.yaml')] });
    expect(r.errors).toEqual([]);
    expect(byKind(r, 'Secret')).toEqual([]);
    const refs = byKind(r, 'Deployment').flatMap((d) =>
      (containerOf(d).env ?? []).flatMap((e) => (e.valueFrom ? [e.valueFrom.secretKeyRef.name] : [])),
    );
    expect(refs.length).toBeGreaterThan(10);
    expect(new Set(refs)).toEqual(new Set(['dataos-prod-secrets']));
  });

  it('a cluster older than Chart.yaml says (1.25: policy/v1, autoscaling/v2) is refused, as helm does', async () => {
    const r = await renderChart({ valuesFiles: [TEST_VALUES], kubeVersion: '1.24.3' });
    expect(r.errors).toEqual(['chart requires kubeVersion >=1.25.0-0, which is incompatible with Kubernetes v1.24.3']);
    expect((await renderChart({ valuesFiles: [TEST_VALUES], kubeVersion: '1.25.0' })).errors).toEqual([]);
  });

  it('values with typos are refused by the chart schema, naming each', async () => {
    const r = await renderChart({ valuesFiles: [TEST_VALUES, here('./fixtures/typo-values.yaml')] });
    expect(r.errors.join('\n')).toMatch(/\/serviceIdentity\/mode': value must be one of 'required', 'off'/);
    expect(r.errors.join('\n')).toMatch(/\/endpoints\/s3': additional properties 'cidr' not allowed/);
    expect(r.objects).toEqual([]);
  });

  it('the dev issuer, when on, replaces the external issuer in the graph and the settings', async () => {
    const r = await renderChart({ valuesFiles: [TEST_VALUES, DEV_VALUES] });
    expect(r.errors).toEqual([]);
    const graph = graphOf(r.objects, world(r));
    expect(graph).toContain('gateway -> devIssuer 4400/TCP');
    expect(graph.some((e) => / -> oidcIssuer /.test(e))).toBe(false);
    expect(envOf(r, 'heimdall').OIDC_ISSUER).toBe('http://dataos-dev-issuer:4400');
  });

  it('an object with an unknown field, a missing image or a selector that misses its pods is an error', async () => {
    const r = await renderChart({ chart: BROKEN_CHART });
    const text = r.errors.join('\n');
    expect(text).toMatch(/unknown field "spec\.template\.spec\.containers\[0\]\.imagePolicy"/);
    expect(text).toMatch(/container "web": image is required/);
    expect(text).toMatch(/spec\.selector: does not match the pod template's labels/);
    expect(text).toMatch(/no kind "Deploymnet"/);
  });
});
