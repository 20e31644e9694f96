export { createGatewaySubgraph } from './server.js';
export { seedGateway } from './seed.js';
