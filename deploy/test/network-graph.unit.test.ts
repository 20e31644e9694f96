import { describe, expect, it } from 'vitest';
import { diagramEdges, inCidr, peerMatches, reachableEdges, selects, type Node } from './network-graph.js';

const pod = (
  name: string,
  namespace: string,
  labels: Record<string, string>,
  ip: string,
  ports = ['80/TCP'],
): Node => ({
  name,
  namespace,
  namespaceLabels: { 'kubernetes.io/metadata.name': namespace },
  labels,
  ip,
  ports,
});
const a = pod('a', 'ns', { app: 'a' }, '10.0.0.1');
const b = pod('b', 'ns', { app: 'b' }, '10.0.0.2');
const c = pod('c', 'other', { app: 'b' }, '10.0.1.2');
const outside: Node = { name: 'out', ip: '192.0.2.7', ports: ['443/TCP'] };
const policy = (name: string, podSelector: object, spec: object) => ({
  kind: 'NetworkPolicy' as const,
  metadata: { name, namespace: 'ns' },
  spec: { podSelector, ...spec },
});
const deny = policy('deny', {}, { policyTypes: ['Ingress', 'Egress'] });
const keys = (objects: object[], nodes: Node[]) =>
  reachableEdges(objects as { kind: string }[], nodes, 'ns')
    .map((e) => `${e.from}>${e.to}:${e.port}`)
    .sort();

describe('network policy semantics', () => {
  it('selectors: labels and expressions', () => {
    expect(selects({ matchLabels: { app: 'a' } }, { app: 'a', x: 'y' })).toBe(true);
    expect(selects({ matchLabels: { app: 'a' } }, { app: 'b' })).toBe(false);
    expect(selects({}, {})).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['a'] }] }, { app: 'a' })).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, { app: 'a' })).toBe(true);
  });

  it('cidrs', () => {
    expect(inCidr('10.1.2.3', '10.1.0.0/16')).toBe(true);
    expect(inCidr('10.2.0.0', '10.1.0.0/16')).toBe(false);
    expect(inCidr('192.0.2.10', '192.0.2.10/32')).toBe(true);
    expect(inCidr('192.0.2.11', '192.0.2.10/32')).toBe(false);
  });

  it('a podSelector alone stays in the policy namespace; a namespaceSelector crosses it', () => {
    expect(peerMatches({ podSelector: { matchLabels: { app: 'b' } } }, 'ns', c)).toBe(false);
    expect(peerMatches({ podSelector: { matchLabels: { app: 'b' } } }, 'ns', b)).toBe(true);
    const other = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'other' } } };
    expect(peerMatches(other, 'ns', c)).toBe(true);
    expect(peerMatches({ ...other, podSelector: { matchLabels: { app: 'x' } } }, 'ns', c)).toBe(false);
    expect(peerMatches({ ipBlock: { cidr: '192.0.2.0/24', except: ['192.0.2.0/29'] } }, 'ns', outside)).toBe(false);
    expect(peerMatches({ podSelector: {} }, 'ns', outside)).toBe(false);
  });

  it('no policy: everything is open; default deny: nothing is', () => {
    expect(keys([], [a, b])).toEqual(['a>b:80/TCP', 'b>a:80/TCP']);
    expect(keys([deny], [a, b, c, outside])).toEqual([]);
  });

  it('a connection needs both the egress of the caller and the ingress of the callee, on the port', () => {
    const egress = policy(
      'a-out',
      { matchLabels: { app: 'a' } },
      {
        policyTypes: ['Egress'],
        egress: [{ to: [{ podSelector: { matchLabels: { app: 'b' } } }], ports: [{ port: 80 }] }],
      },
    );
    const ingress = policy(
      'b-in',
      { matchLabels: { app: 'b' } },
      {
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'a' } } }], ports: [{ port: 80, protocol: 'TCP' }] }],
      },
    );
    expect(keys([deny, egress], [a, b])).toEqual([]);
    expect(keys([deny, ingress], [a, b])).toEqual([]);
    expect(keys([deny, egress, ingress], [a, b, c])).toEqual(['a>b:80/TCP']);
    const udp = policy(
      'b-in',
      { matchLabels: { app: 'b' } },
      {
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'a' } } }], ports: [{ port: 80, protocol: 'UDP' }] }],
      },
    );
    expect(keys([deny, egress, udp], [a, b])).toEqual([]);
  });

  it('an outside address is judged by egress alone; a rule with no peers opens every address', () => {
    const open = policy('a-out', { matchLabels: { app: 'a' } }, { policyTypes: ['Egress'], egress: [{}] });
    expect(keys([deny, open], [a, outside])).toEqual(['a>out:443/TCP', 'a>out:80/TCP']);
  });

  it('reads the diagram: ports, protocols, and nothing outside the mermaid block', () => {
    const md = 'x -->|1| y\n```mermaid\nflowchart LR\n  a -->|4001| b\n  a -->|53/UDP 53/TCP| dns\n```\n';
    expect(diagramEdges(md)).toEqual([
      { from: 'a', to: 'b', port: '4001/TCP' },
      { from: 'a', to: 'dns', port: '53/UDP' },
      { from: 'a', to: 'dns', port: '53/TCP' },
    ]);
    expect(() => diagramEdges('no diagram')).toThrow(/mermaid/);
  });
});
