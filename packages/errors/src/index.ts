export { ErrorCode } from './codes.js';
export {
  badUserInput,
  unauthenticated,
  forbidden,
  notFound,
  conflict,
  serviceUnavailable,
  isPublicCode,
  type ErrorDetails,
} from './errors.js';
export { formatError } from './format.js';
