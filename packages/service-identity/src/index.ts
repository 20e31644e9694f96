export {
  SERVICE_AUTHORIZATION_HEADER,
  SERVICE_AUTHORIZATION_PARAM,
  UNTRUSTED_CALLER,
  audienceOf,
  serviceOfAudience,
} from './names.js';
export {
  SERVICE_IDENTITY_MODES,
  SERVICE_IDENTITY_SETTINGS,
  serviceIdentityFromEnv,
  serviceIdentityOf,
  type ServiceClientCredentials,
  type ServiceIdentityMode,
  type ServiceIdentitySettings,
} from './settings.js';
export { ServiceTokenSource, type ServiceCredentials, type TokenLog } from './token-source.js';
export { ServiceCaller, serviceCallerFromEnv, serviceIssuerFromEnv, type ServiceCallerOptions } from './caller.js';
