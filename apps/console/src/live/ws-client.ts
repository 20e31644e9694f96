import { createClient, type Client } from 'graphql-ws';
import { userManager } from '../auth/user-manager.js';
import { settings } from '../settings.js';
import { webSocketUrl } from './resume.js';
import { liveStatus } from './status.js';

/**
 * The router's WebSocket (graphql-transport-ws at /graphql). The token goes in connection_init
 * and is read again for each connection, so one that reconnects after the token was renewed (or
 * after a 4401 for an expired one) presents the current token. Retries are the link's job
 * (ResumableSubscriptionLink), which resumes from the last cursor.
 */
export function createLiveClient(httpUrl = settings.routerUrl): Client {
  const client = createClient({
    url: webSocketUrl(httpUrl),
    lazy: true,
    lazyCloseTimeout: 3000,
    retryAttempts: 0,
    keepAlive: 20_000,
    connectionParams: async () => {
      let user = await userManager().getUser();
      if (!user || user.expired)
        user = await userManager()
          .signinSilent()
          .catch(() => null);
      return user?.access_token ? { authorization: `Bearer ${user.access_token}` } : {};
    },
  });
  client.on('connecting', () => liveStatus.connecting());
  client.on('connected', () => liveStatus.connected());
  client.on('closed', () => liveStatus.closed());
  return client;
}
