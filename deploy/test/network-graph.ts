/**
 * Which workload can reach which, from rendered NetworkPolicies, with Kubernetes' semantics: a
 * connection needs the caller's egress AND the callee's ingress. A pod no policy of a direction
 * selects is open in that direction; one that any policy selects gets the union of their rules.
 * Peers: podSelector alone = pods of the policy's namespace; namespaceSelector (with or without a
 * podSelector) = pods in the namespaces it selects; ipBlock = addresses in cidr but not in except.
 * Named ports and endPort are refused: the chart uses neither, and a test must not guess.
 */

export type Labels = Record<string, string>;

export interface Node {
  name: string;
  /** Undefined: outside the cluster, reachable only through ipBlock. */
  namespace?: string;
  namespaceLabels?: Labels;
  labels?: Labels;
  ip: string;
  /** What it listens on, e.g. `4001/TCP`. */
  ports: string[];
}

interface Selector {
  matchLabels?: Labels;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}
interface Peer {
  podSelector?: Selector;
  namespaceSelector?: Selector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface PortRule {
  port?: number | string;
  protocol?: string;
  endPort?: number;
}
interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: PortRule[];
}
export interface NetworkPolicy {
  kind: 'NetworkPolicy';
  metadata: { name: string; namespace?: string };
  spec: { podSelector: Selector; policyTypes?: string[]; ingress?: Rule[]; egress?: Rule[] };
}

export function selects(selector: Selector, labels: Labels = {}): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = e.key in labels;
    const inValues = has && (e.values ?? []).includes(labels[e.key]!);
    const ok =
      e.operator === 'In' ? inValues : e.operator === 'NotIn' ? !inValues : e.operator === 'Exists' ? has : !has;
    if (!ok) return false;
  }
  return true;
}

const ipToInt = (ip: string): number => {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255))
    throw new Error(`not an IPv4 address: ${ip}`);
  return parts.reduce((n, p) => n * 256 + p, 0);
};

export function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const start = Math.floor(ipToInt(base!) / size) * size;
  const n = ipToInt(ip);
  return n >= start && n < start + size;
}

/** Whether `peer`, written in a policy of `policyNamespace`, matches `node`. */
export function peerMatches(peer: Peer, policyNamespace: string, node: Node): boolean {
  if (peer.ipBlock) {
    return inCidr(node.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c) => inCidr(node.ip, c));
  }
  if (node.namespace === undefined) return false; // selectors match pods, never outside addresses
  if (peer.namespaceSelector) {
    if (!selects(peer.namespaceSelector, node.namespaceLabels)) return false;
  } else if (node.namespace !== policyNamespace) return false;
  return peer.podSelector ? selects(peer.podSelector, node.labels) : true;
}

function portMatches(rules: PortRule[] | undefined, port: string): boolean {
  if (!rules || rules.length === 0) return true;
  const [number, protocol] = port.split('/');
  return rules.some((r) => {
    if (typeof r.port === 'string' || r.endPort !== undefined)
      throw new Error('named ports and endPort are not modelled');
    return (r.protocol ?? 'TCP') === protocol && (r.port === undefined || r.port === Number(number));
  });
}

/** Does the direction's set of policies selecting `pod` let `peer` through on `port`? */
function allowed(
  policies: NetworkPolicy[],
  direction: 'Ingress' | 'Egress',
  pod: Node,
  peer: Node,
  port: string,
  defaultNamespace: string,
): boolean {
  if (pod.namespace === undefined) return true; // outside the cluster: no policy of ours applies
  const selecting = policies.filter((p) => {
    const ns = p.metadata.namespace ?? defaultNamespace;
    const types = p.spec.policyTypes ?? (p.spec.egress ? ['Ingress', 'Egress'] : ['Ingress']);
    return ns === pod.namespace && types.includes(direction) && selects(p.spec.podSelector, pod.labels);
  });
  if (selecting.length === 0) return true;
  return selecting.some((p) => {
    const ns = p.metadata.namespace ?? defaultNamespace;
    const rules = (direction === 'Ingress' ? p.spec.ingress : p.spec.egress) ?? [];
    return rules.some((r) => {
      const peers = direction === 'Ingress' ? r.from : r.to;
      const peerOk = !peers || peers.length === 0 || peers.some((x) => peerMatches(x, ns, peer));
      return peerOk && portMatches(r.ports, port);
    });
  });
}

export interface Edge {
  from: string;
  to: string;
  /** e.g. `4001/TCP` */
  port: string;
}

export const edgeKey = (e: Edge) => `${e.from} -> ${e.to} ${e.port}`;

/**
 * Every (caller, callee, port) the policies let through, over all pairs where at least one side
 * is in `namespace` (pairs entirely elsewhere are not this chart's business). Probed ports: every
 * port any node listens on, plus `extraPorts` (so a rule opening all ports shows up).
 */
export function reachableEdges(
  objects: { kind: string }[],
  nodes: Node[],
  namespace: string,
  extraPorts: string[] = [],
): Edge[] {
  const policies = objects.filter((o): o is NetworkPolicy => o.kind === 'NetworkPolicy');
  const probe = [...new Set([...nodes.flatMap((n) => n.ports), ...extraPorts])];
  const edges: Edge[] = [];
  for (const from of nodes)
    for (const to of nodes) {
      if (from === to || (from.namespace !== namespace && to.namespace !== namespace)) continue;
      for (const port of probe)
        if (
          allowed(policies, 'Egress', from, to, port, namespace) &&
          allowed(policies, 'Ingress', to, from, port, namespace)
        )
          edges.push({ from: from.name, to: to.name, port });
    }
  return edges;
}

/**
 * The architecture's edges from a Mermaid flowchart in Markdown: lines `a -->|4001| b`, the label
 * a space-separated list of `port` or `port/PROTOCOL` (TCP when absent).
 */
export function diagramEdges(markdown: string): Edge[] {
  const block = /```mermaid\n([\s\S]*?)```/.exec(markdown);
  if (!block) throw new Error('no ```mermaid block');
  const edges: Edge[] = [];
  for (const line of block[1]!.split('\n')) {
    const m = /^\s*(\w+)\s*-->\|([^|]+)\|\s*(\w+)\s*$/.exec(line);
    if (!m) continue;
    for (const token of m[2]!.trim().split(/\s+/)) {
      const [port, protocol = 'TCP'] = token.split('/');
      edges.push({ from: m[1]!, to: m[3]!, port: `${Number(port)}/${protocol.toUpperCase()}` });
    }
  }
  return edges;
}
