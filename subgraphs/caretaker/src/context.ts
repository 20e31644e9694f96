import type { BaseContext } from '@dataos/subgraph-kit';
import type { Collection } from 'mongodb';
import type { PodDoc } from './pods.js';

export interface Context extends BaseContext {
  pods: Collection<PodDoc>;
}
