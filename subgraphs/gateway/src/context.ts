import type { BaseContext } from '@dataos/subgraph-kit';
import type { Collection } from 'mongodb';
import type { ClusterDoc } from './clusters.js';

export interface Context extends BaseContext {
  clusters: Collection<ClusterDoc>;
}
