export {
  METIS_CLIENT_SETTINGS,
  MetisClient,
  MAX_URNS_PER_REQUEST,
  type Caller,
  type MetisClientOptions,
} from './client.js';
