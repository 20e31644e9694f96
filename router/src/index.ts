export { startRouter, type Router, type RouterOptions } from './server.js';
export { configFromEnv, type RouterConfig } from './config.js';
export { stripSecurityFeatures, securityDirectiveNames, securityDirectiveKinds } from './supergraph/strip-security.js';
export { RouterMetrics } from './metrics.js';
export { RouterErrorCode } from './errors.js';
