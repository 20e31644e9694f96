export { graphql, errorCodes, type GraphQLResponse } from './http.js';
export { servicesToken, tokenFor } from './tokens.js';
export { routerCredentialsEnv } from './router-env.js';
export { uniqueId } from './ids.js';
export { startTestSupergraph, type TestSupergraph } from './supergraph.js';
export { createPolicies, type TestPolicy } from './policies.js';
export {
  serveTestSubgraph,
  startTestHeimdall,
  testMongo,
  type HeimdallSubgraph,
  type ServedSubgraph,
  type TestHeimdall,
  type TestMongo,
} from './services.js';
export {
  startTestSubgraph,
  type TestSubgraph,
  type TestSubgraphOptions,
  type RecordedFetch,
  type SubgraphBehaviour,
} from './test-subgraph.js';
export { composeSupergraph, writeSupergraphFile, type SubgraphDefinition, type SupergraphFile } from './compose.js';
export {
  CARETAKER_OPERATORS_POLICY,
  INGEST_CLUSTER_EVENTS,
  podEventInput,
  nodeEventInput,
  type TestPodEvent,
  type TestNodeEvent,
} from './caretaker.js';
export { DEMO_COLUMNS, gatewayAccessPolicies } from './gateway.js';
export { wsClient, type TestWsClient, type TestSubscription } from './ws.js';
export { dropOwnNodes, ownNodes } from './neo4j-nodes.js';
