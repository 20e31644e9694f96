export { MetisClient, MAX_URNS_PER_REQUEST, type Caller, type MetisClientOptions } from './client.js';
