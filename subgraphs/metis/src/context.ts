import type { BaseContext } from '@dataos/subgraph-kit';
import type { Authorizer } from './authz.js';
import type { CursorCodec } from './cursor.js';
import type { CatalogStore } from './store/catalog.js';
import type { CatalogLoaders } from './store/loaders.js';
import type { CatalogWriter } from './store/writes.js';

export interface Context extends BaseContext {
  store: CatalogStore;
  writer: CatalogWriter;
  loaders: CatalogLoaders;
  authz: Authorizer;
  cursors: CursorCodec;
}
