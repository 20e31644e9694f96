import type { BaseContext } from '@dataos/subgraph-kit';
import type { CatalogStore } from './store/catalog.js';
import type { CatalogLoaders } from './store/loaders.js';

export interface Context extends BaseContext {
  store: CatalogStore;
  loaders: CatalogLoaders;
}
