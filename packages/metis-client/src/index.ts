export {
  METIS_CLIENT_SETTINGS,
  MetisClient,
  MAX_URNS_PER_REQUEST,
  MAX_CONCURRENT_REQUESTS,
  datasetsQuery,
  type DatasetsOptions,
  type Caller,
  type MetisClientOptions,
} from './client.js';
