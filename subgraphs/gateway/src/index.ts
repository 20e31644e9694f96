export { createGatewaySubgraph, type GatewayDeps } from './server.js';
export { seedGateway } from './seed.js';
export { StaticColumnCatalog, MetisColumnCatalog, type ColumnCatalog } from './catalog.js';
export { DuckDbEngine } from './engines/duckdb.js';
export { TrinoEngine } from './engines/trino.js';
export { demoTables, demoUrn, writeDemoFiles, DEMO_DATA_DIR } from './data/demo.js';
export { DEFAULT_DATA_POLICIES, DEMO_DATA_POLICIES } from './policies/defaults.js';
export { SqlParser } from './sql/parser.js';
export { QueryRewriter } from './sql/pipeline.js';
