import type { BaseContext } from '@dataos/subgraph-kit';
import type DataLoader from 'dataloader';
import type { ConceptRecord, OntologyStore } from './store/ontology.js';

export interface Context extends BaseContext {
  store: OntologyStore;
  conceptsOfDataset: DataLoader<string, ConceptRecord[]>;
}
