export { serveSubscriptions, type SubscriptionServer, type SubscriptionServerOptions } from './ws-server.js';
export { SequencedFeed, type FeedDoc, type FeedNotice, type FeedOptions, type FeedPosition } from './feed.js';
export { BoundedQueue } from './bounded-queue.js';
export { SubscriptionQuota } from './quota.js';
export { CloseCode, SlowConsumerError } from './close-codes.js';
export { SUBSCRIPTION_SETTINGS, subscriptionSettingsOf, type SubscriptionSettings } from './settings.js';
