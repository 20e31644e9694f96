import type { ComponentType } from 'react';
import { Navigate, type RouteObject } from 'react-router';
import { CallbackPage } from '../auth/CallbackPage.js';
import { RequireAuth } from '../auth/RequireAuth.js';
import { Layout } from './Layout.js';
import { NotFoundPage } from './NotFoundPage.js';
import { Loading } from '../ui/Loading.js';

/** A page module's default export, loaded when its route is first visited: the bundle splits by page. */
const page = (load: () => Promise<{ default: ComponentType }>) => async () => ({ Component: (await load()).default });

/**
 * Every page of the console, one place. Deep links work for all of them: the URL alone
 * (after sign-in) brings the user back to the same page.
 */
export const routes: RouteObject[] = [
  // The issuer redirects here; it must work before anyone is signed in.
  { path: '/callback', Component: CallbackPage },
  {
    path: '/',
    HydrateFallback: () => <Loading label="Opening page" />,
    element: (
      <RequireAuth>
        <Layout />
      </RequireAuth>
    ),
    children: [
      { index: true, element: <Navigate to="/catalog" replace /> },
      { path: 'catalog', lazy: page(() => import('../pages/catalog/index.js')) },
      { path: 'datasets/:urn', lazy: page(() => import('../pages/dataset/index.js')) },
      { path: 'datasets/:urn/lineage', lazy: page(() => import('../pages/lineage/index.js')) },
      { path: 'glossary', lazy: page(() => import('../pages/glossary/index.js')) },
      { path: 'glossary/:name', lazy: page(() => import('../pages/glossary/term.js')) },
      { path: 'domains', lazy: page(() => import('../pages/domains/index.js')) },
      { path: 'domains/:name', lazy: page(() => import('../pages/domains/domain.js')) },
      { path: 'sources', lazy: page(() => import('../pages/sources/index.js')) },
      { path: 'sources/:name', lazy: page(() => import('../pages/sources/source.js')) },
      // Helper B's pages: Odin's ontologies, the Gateway's Workbench, GraphiQL.
      { path: 'ontologies/*', lazy: page(() => import('../pages/ontologies/index.js')) },
      { path: 'workbench', lazy: page(() => import('../pages/workbench/index.js')) },
      { path: 'explorer', lazy: page(() => import('../pages/explorer/index.js')) },
      // Helper O's pages: the Operations app and the policy console (each checks what the user may see).
      { path: 'operations/*', lazy: page(() => import('../pages/operations/index.js')) },
      { path: 'policies/*', lazy: page(() => import('../pages/policies/index.js')) },
      { path: '*', Component: NotFoundPage },
    ],
  },
];

/** Links to a dataset page: URNs hold `/` and `:`, so they travel as one encoded segment. */
export const datasetPath = (urn: string) => `/datasets/${encodeURIComponent(urn)}`;
export const lineagePath = (urn: string) => `${datasetPath(urn)}/lineage`;
export const glossaryPath = (name: string) => `/glossary/${encodeURIComponent(name)}`;
export const domainPath = (name: string) => `/domains/${encodeURIComponent(name)}`;
export const sourcePath = (name: string) => `/sources/${encodeURIComponent(name)}`;
/** Odin's concept page (helper B's Ontologies pages use the same shape). */
export const conceptPath = (iri: string) => `/ontologies/concepts/${encodeURIComponent(iri)}`;
