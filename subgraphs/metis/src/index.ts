export { createMetisSubgraph, type MetisDeps } from './server.js';
export { seedMetis, seedCatalog, DEMO_CATALOG, DEMO_DATASETS, type DemoCatalog, type DemoDataset } from './seed.js';
export { migrate as migrateMetis } from './store/migrate.js';
