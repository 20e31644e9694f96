import { useEffect, useMemo, useRef } from 'react';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
// Monaco's workers and GraphiQL's styles (fonts inlined) come from the bundle: nothing from a CDN.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { settings } from '../../settings.js';
import { userManager } from '../../auth/user-manager.js';
import { authorizedFetch } from './authorizedFetch.js';
import { moveTabRoles } from './tabRoles.js';
import './explorer.css';

const DEFAULT_QUERY = `# Runs as you: what you may not see is absent or null with an error, as in every other client.
query Me {
  whoami { id name tags }
  ontologies { name conceptCount }
}
`;

/** GraphiQL, bundled, against the router with the signed-in user's token; Sandbox for those online. */
export default function ExplorerPage() {
  const fetcher = useMemo(
    () =>
      createGraphiQLFetcher({
        url: settings.routerUrl,
        // The router serves neither @defer nor subscriptions: plain JSON requests only.
        enableIncrementalDelivery: false,
        fetch: authorizedFetch(async () => (await userManager().getUser())?.access_token),
      }),
    [],
  );
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => moveTabRoles(host.current!), []);
  return (
    <section className="explorer-page" aria-labelledby="explorer-title">
      <header className="explorer-header">
        <h1 id="explorer-title">GraphQL explorer</h1>
        <p>
          Queries run against <code>{settings.routerUrl}</code> as you.{' '}
          <a href={settings.routerUrl} target="_blank" rel="noreferrer">
            Open Apollo Sandbox
          </a>{' '}
          (loads from Apollo&apos;s CDN: needs internet).
        </p>
      </header>
      <div className="explorer-graphiql" ref={host}>
        <GraphiQL fetcher={fetcher} defaultQuery={DEFAULT_QUERY} isHeadersEditorEnabled shouldPersistHeaders={false} />
      </div>
    </section>
  );
}
