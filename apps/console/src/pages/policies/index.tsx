import { NavLink, Navigate, Route, Routes } from 'react-router';
import { NotFoundPage } from '../../app/NotFoundPage.js';
import { mayAdministerPolicies, useCapabilities, type Capability } from '../../live/capabilities.js';
import { Loading } from '../../ui/Loading.js';
import { AccessPoliciesPage } from './AccessPoliciesPage.js';
import { AccessPolicyPage, NewAccessPolicyPage } from './AccessPolicyPage.js';
import { DataPoliciesPage, DataPolicyPage, NewDataPolicyPage } from './DataPoliciesPage.js';
import { DecisionsPage } from './DecisionsPage.js';
import { PreviewPage } from './PreviewPage.js';
import { UserTagsPage } from './UserTagsPage.js';
import { POLICIES } from './paths.js';
import '../operations/operations.css';

const TABS: { to: string; label: string; needs: Capability }[] = [
  { to: 'access', label: 'Access policies', needs: 'accessPolicies' },
  { to: 'decisions', label: 'Decision log', needs: 'decisions' },
  { to: 'users', label: 'User tags', needs: 'userTags' },
  { to: 'data', label: 'Data policies', needs: 'dataPolicies' },
  { to: 'preview', label: 'Preview as a subject', needs: 'dataPolicies' },
];

/** The policy console: each screen only for those Heimdall lets use it. */
export default function PoliciesPages() {
  const capabilities = useCapabilities();
  if (!capabilities.known) return <Loading label="Checking what you may see" />;
  if (!mayAdministerPolicies(capabilities)) {
    return (
      <section className="page">
        <h1>Policies</h1>
        <p className="notice notice-error" role="alert">
          You may not see policies: {capabilities.reason('accessPolicies') ?? 'no policy lets you read them.'}
        </p>
      </section>
    );
  }
  const tabs = TABS.filter((t) => capabilities.can(t.needs));
  const guard = (needs: Capability, element: React.ReactElement) =>
    capabilities.can(needs) ? (
      element
    ) : (
      <p className="notice notice-error">You may not use this screen: {capabilities.reason(needs)}</p>
    );
  return (
    <div className="ops">
      <h1>Policies</h1>
      <nav aria-label="Policies" className="tabs">
        <ul>
          {tabs.map((t) => (
            <li key={t.to}>
              <NavLink to={`${POLICIES}/${t.to}`}>{t.label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Routes>
        <Route index element={<Navigate to={`${POLICIES}/${tabs[0]!.to}`} replace />} />
        <Route path="access" element={guard('accessPolicies', <AccessPoliciesPage />)} />
        <Route path="access/new" element={guard('manageAccessPolicies', <NewAccessPolicyPage />)} />
        <Route path="access/:name" element={guard('accessPolicies', <AccessPolicyPage />)} />
        <Route path="decisions" element={guard('decisions', <DecisionsPage />)} />
        <Route path="users" element={guard('userTags', <UserTagsPage />)} />
        <Route path="data" element={guard('dataPolicies', <DataPoliciesPage />)} />
        <Route path="data/new" element={guard('manageDataPolicies', <NewDataPolicyPage />)} />
        <Route path="data/:name" element={guard('dataPolicies', <DataPolicyPage />)} />
        <Route path="preview" element={guard('dataPolicies', <PreviewPage />)} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </div>
  );
}
