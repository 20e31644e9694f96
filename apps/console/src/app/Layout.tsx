import { Suspense } from 'react';
import { NavLink, Outlet, useNavigation } from 'react-router';
import { useAuth } from '../auth/AuthProvider.js';
import { ErrorBoundary } from '../ui/ErrorBoundary.js';
import { Loading } from '../ui/Loading.js';
import { mayAdministerPolicies, mayOperate, useCapabilities } from '../live/capabilities.js';

const NAV = [
  { to: '/catalog', label: 'Catalog' },
  { to: '/glossary', label: 'Glossary' },
  { to: '/domains', label: 'Domains' },
  { to: '/sources', label: 'Sources' },
  { to: '/ontologies', label: 'Ontologies' },
  { to: '/workbench', label: 'Workbench' },
  { to: '/explorer', label: 'GraphQL explorer' },
];

/** Shown only to those Heimdall lets use them (asked once per session, see live/capabilities). */
const GUARDED_NAV = [
  { to: '/operations', label: 'Operations', allowed: mayOperate },
  { to: '/policies', label: 'Policies', allowed: mayAdministerPolicies },
];

/** The frame of every signed-in page: a skip link, the navigation, who is signed in, sign-out. */
export function Layout() {
  const { user, signOut } = useAuth();
  const navigation = useNavigation();
  const capabilities = useCapabilities();
  const nav = [...NAV, ...GUARDED_NAV.filter((item) => item.allowed(capabilities))];
  const name = user?.profile.name ?? user?.profile.preferred_username ?? user?.profile.sub;
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">DataOS</span>
        <nav aria-label="Main">
          <ul>
            {nav.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to}>{item.label}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span aria-label="Signed in as">{name}</span>
          <button type="button" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {navigation.state === 'loading' ? <Loading label="Opening page" /> : null}
        <ErrorBoundary what="this page">
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </ErrorBoundary>
      </main>
    </>
  );
}
