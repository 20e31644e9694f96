export { graphql, errorCodes, type GraphQLResponse } from './http.js';
export { tokenFor } from './tokens.js';
export { uniqueId } from './ids.js';
export { startTestSupergraph, type TestSupergraph } from './supergraph.js';
