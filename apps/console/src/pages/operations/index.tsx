import { NavLink, Navigate, Route, Routes } from 'react-router';
import { NotFoundPage } from '../../app/NotFoundPage.js';
import { mayOperate, useCapabilities, type Capability } from '../../live/capabilities.js';
import { Loading } from '../../ui/Loading.js';
import { ClustersPage } from './ClustersPage.js';
import { EventsPage } from './EventsPage.js';
import { NodesPage } from './NodesPage.js';
import { PodPage } from './PodPage.js';
import { PodsPage } from './PodsPage.js';
import { WorkloadsPage } from './WorkloadsPage.js';
import { OPERATIONS } from './paths.js';
import './operations.css';

const TABS: { to: string; label: string; needs: Capability }[] = [
  { to: 'pods', label: 'Pods', needs: 'pods' },
  { to: 'nodes', label: 'Nodes', needs: 'nodes' },
  { to: 'events', label: 'Events', needs: 'pods' },
  { to: 'workloads', label: 'Workloads', needs: 'pods' },
  { to: 'clusters', label: 'Clusters', needs: 'clusters' },
];

/** The Operations app: only for those Heimdall lets read Caretaker's pods or nodes. */
export default function OperationsPages() {
  const capabilities = useCapabilities();
  if (!capabilities.known) return <Loading label="Checking what you may see" />;
  if (!mayOperate(capabilities)) {
    return (
      <section className="page">
        <h1>Operations</h1>
        <p className="notice notice-error" role="alert">
          You may not see Operations: {capabilities.reason('pods') ?? 'no policy lets you read pods or nodes.'}
        </p>
      </section>
    );
  }
  const tabs = TABS.filter((t) => capabilities.can(t.needs));
  return (
    <div className="ops">
      <h1>Operations</h1>
      <nav aria-label="Operations" className="tabs">
        <ul>
          {tabs.map((t) => (
            <li key={t.to}>
              <NavLink to={`${OPERATIONS}/${t.to}`}>{t.label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Routes>
        <Route index element={<Navigate to={`${OPERATIONS}/${tabs[0]!.to}`} replace />} />
        <Route path="pods" element={<PodsPage />} />
        <Route path="pods/:namespace/:name" element={<PodPage />} />
        <Route path="nodes" element={<NodesPage />} />
        <Route path="events" element={<EventsPage />} />
        <Route path="workloads" element={<WorkloadsPage />} />
        <Route path="clusters" element={<ClustersPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </div>
  );
}
