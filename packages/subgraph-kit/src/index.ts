export { createSubgraph, type Subgraph, type SubgraphOptions, type RunningSubgraph } from './server.js';
export { requirePrincipal, type BaseContext } from './context.js';
export { isPublicOperation } from './auth-plugin.js';
export { createLogger, type Logger } from './logger.js';
export { KIT_SETTINGS, LOG_LEVELS, kitSettingsFromEnv, kitSettingsOf, type KitSettings } from './settings.js';
export { loadTypeDefs } from './schema.js';
export {
  ServiceGate,
  serviceGateFor,
  type GateRefusal,
  type GateVerdict,
  type ServiceGateOptions,
} from './service-gate.js';
export { runUntilSignal } from './main.js';
export { DateTimeScalar } from './scalars.js';
export { StoreActivity } from './store-activity.js';
export { datasetObject, domainTag, heimdallTag, heimdallTags, type DatasetObject } from './dataset-object.js';
export { CursorCodec, isOffset, isString, pageSize, type DecodeOptions } from './cursor.js';
export { Lru, textBytes, type LruOptions } from '@dataos/cache';
export {
  isAllowed,
  notAllowed,
  requireAllowed,
  type AccessContext,
  type AccessDecider,
  type AccessObject,
} from './access.js';
export {
  BoundedQueue,
  CloseCode,
  SequencedFeed,
  SlowConsumerError,
  SUBSCRIPTION_SETTINGS,
  type FeedDoc,
  type FeedNotice,
  type FeedPosition,
  type SubscriptionSettings,
} from './subscriptions/index.js';
