export { startRouter, type Router } from './server.js';
export { configFromEnv, type RouterConfig } from './config.js';
export { stripSecurityFeatures, securityDirectiveNames } from './supergraph/strip-security.js';
