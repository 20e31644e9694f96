export { createOdinSubgraph } from './server.js';
export { seedOdin } from './seed.js';
