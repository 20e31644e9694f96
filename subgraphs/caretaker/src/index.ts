export { createCaretakerSubgraph } from './server.js';
export { seedCaretaker } from './seed.js';
