export { createHeimdallSubgraph } from './server.js';
