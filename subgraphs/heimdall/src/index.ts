export { createHeimdallSubgraph } from './server.js';
export { seedHeimdall, DEMO_POLICIES } from './seed.js';
