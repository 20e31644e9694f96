import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useQuery, useSubscription } from '@apollo/client/react';
import { ConsoleNodeChangesDocument, ConsoleNodesDocument, type ConsoleNodeFragment } from '@dataos/client';
import { LiveBadge } from '../../live/index.js';
import { Loading } from '../../ui/Loading.js';
import { PageError } from '../../ui/PageError.js';
import { Part } from '../../ui/Part.js';
import { bytes, millicores, ratio } from './format.js';
import { nodePodsPath } from './paths.js';
import { isNewer } from './pods.js';

/** A bar of `used` against `allocatable` inside `capacity`: what the node keeps for itself shows as the gap. */
function Bar({
  label,
  used,
  allocatable,
  capacity,
  format,
}: {
  label: string;
  used: number;
  allocatable: number;
  capacity: number;
  format: (n: number) => string;
}) {
  const requested = ratio(used, capacity);
  const alloc = ratio(allocatable, capacity);
  return (
    <div className="bar-row">
      <span className="bar-label">{label}</span>
      <div
        className="bar"
        role="meter"
        aria-label={`${label} requested of allocatable`}
        aria-valuemin={0}
        aria-valuemax={allocatable}
        aria-valuenow={Math.min(used, allocatable)}
        aria-valuetext={`${format(used)} requested of ${format(allocatable)} allocatable (${format(capacity)} capacity)`}
      >
        <span className="bar-allocatable" style={{ width: `${alloc * 100}%` }} />
        <span className={`bar-used${used > allocatable ? ' bar-over' : ''}`} style={{ width: `${requested * 100}%` }} />
      </div>
      <span className="bar-text">
        {format(used)} / {format(allocatable)} <span className="muted">of {format(capacity)}</span>
      </span>
    </div>
  );
}

/** Compute nodes: capacity and allocatable as bars with what pods request, pressure, taints; live by `nodeChanges`. */
export function NodesPage() {
  const { data, error, loading, refetch } = useQuery(ConsoleNodesDocument, { fetchPolicy: 'network-only' });
  const [nodes, setNodes] = useState<Map<string, ConsoleNodeFragment>>(new Map());
  useEffect(() => {
    if (data?.nodes) setNodes(new Map(data.nodes.map((n) => [n.name, n])));
  }, [data]);
  useSubscription(ConsoleNodeChangesDocument, {
    onData: ({ data: event }) => {
      const node = event.data?.nodeChanges.node;
      if (!node) return;
      setNodes((current) => {
        const known = current.get(node.name);
        if (known && !isNewer(node.resourceVersion, known.resourceVersion)) return current;
        const next = new Map(current);
        if (node.deleted) next.delete(node.name);
        else next.set(node.name, node);
        return next;
      });
      // What pods request of it changes with the pods: read the node again (one small query).
      void refetch();
    },
  });
  const list = [...nodes.values()].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <section className="page page-wide" aria-labelledby="nodes-title">
      <div className="title-row">
        <h2 id="nodes-title">Compute nodes</h2>
        <LiveBadge />
      </div>
      <PageError error={error} />
      {loading && !data ? <Loading label="Loading nodes" /> : null}
      <Part error={error} path={['nodes']} what="compute nodes">
        <div className="node-cards">
          {list.map((node) => (
            <article key={node.name} className="node-card" aria-labelledby={`node-${node.name}`}>
              <h3 id={`node-${node.name}`}>
                <Link to={nodePodsPath(node.name)}>{node.name}</Link>{' '}
                <span className={node.ready ? 'fresh' : 'stale'}>{node.ready ? 'ready' : 'not ready'}</span>
                {node.unschedulable ? <span className="chip"> cordoned</span> : null}
              </h3>
              <p className="muted">
                {node.roles.join(', ') || 'worker'} · kubelet {node.kubeletVersion ?? '?'} · {node.usage.pods} pods
              </p>
              <Bar
                label="CPU"
                used={node.usage.cpuRequestMillis}
                allocatable={node.allocatable.cpuMillis}
                capacity={node.capacity.cpuMillis}
                format={millicores}
              />
              <Bar
                label="Memory"
                used={node.usage.memoryRequestBytes}
                allocatable={node.allocatable.memoryBytes}
                capacity={node.capacity.memoryBytes}
                format={bytes}
              />
              <Bar
                label="Pods"
                used={node.usage.pods}
                allocatable={node.allocatable.pods}
                capacity={node.capacity.pods}
                format={String}
              />
              <p>
                Pressure:{' '}
                {node.pressure.length ? (
                  node.pressure.map((p) => (
                    <span key={p} className="chip chip-warn">
                      {p}
                    </span>
                  ))
                ) : (
                  <span className="muted">none</span>
                )}
              </p>
              <p>
                Taints:{' '}
                {node.taints.length ? (
                  node.taints.map((t) => (
                    <span key={`${t.key}:${t.effect}`} className="chip mono">
                      {t.key}
                      {t.value ? `=${t.value}` : ''}:{t.effect}
                    </span>
                  ))
                ) : (
                  <span className="muted">none</span>
                )}
              </p>
            </article>
          ))}
        </div>
        {!loading && list.length === 0 ? <p className="muted">No nodes.</p> : null}
      </Part>
    </section>
  );
}
