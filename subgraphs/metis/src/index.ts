export { createMetisSubgraph } from './server.js';
export { seedMetis } from './seed.js';
