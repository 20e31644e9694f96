import type { HeimdallSession } from '@dataos/heimdall-client';
import type { BaseContext } from '@dataos/subgraph-kit';
import type { OdinLoaders } from './loaders.js';
import type { MetisSession } from './metis.js';
import type { OntologyStore } from './store/ontology.js';
import type { OntologyWriter } from './store/writer.js';

export interface Context extends BaseContext {
  store: OntologyStore;
  writer: OntologyWriter;
  /** Decisions for this request's caller, batched and cached for the request. */
  heimdall: HeimdallSession;
  /** Which datasets exist for this request's caller, as Metis shows them; batched and cached for the request. */
  metis: MetisSession;
  loaders: OdinLoaders;
}
