import { type ApolloLink } from '@apollo/client/link';
import { getMainDefinition } from '@apollo/client/utilities';
import { ResumableSubscriptionLink } from './link.js';
import { createLiveClient } from './ws-client.js';

export { LiveBadge } from './LiveBadge.js';
export { useLiveStatus } from './status.js';

/** True for subscription operations: they go over the WebSocket, everything else over HTTP. */
export function isSubscription(operation: ApolloLink.Operation): boolean {
  const definition = getMainDefinition(operation.query);
  return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
}

/** The console's subscription link: one lazy WebSocket to the router, resumed from the last cursor. */
export function createLiveLink(httpUrl?: string): ApolloLink {
  return new ResumableSubscriptionLink(createLiveClient(httpUrl));
}
