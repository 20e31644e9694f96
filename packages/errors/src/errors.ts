import { GraphQLError } from 'graphql';
import { ErrorCode } from './codes.js';

export interface ErrorDetails {
  /** The input field at fault, as a dotted path (`input.subjects[0]`). */
  field?: string;
  [key: string]: unknown;
}

function make(code: ErrorCode, message: string, details?: ErrorDetails): GraphQLError {
  return new GraphQLError(message, { extensions: { ...details, code } });
}

export const badUserInput = (message: string, details?: ErrorDetails) => make(ErrorCode.BadUserInput, message, details);
export const unauthenticated = (message = 'A valid bearer token is required.', details?: ErrorDetails) =>
  make(ErrorCode.Unauthenticated, message, details);
export const forbidden = (message: string, details?: ErrorDetails) => make(ErrorCode.Forbidden, message, details);
export const notFound = (message: string, details?: ErrorDetails) => make(ErrorCode.NotFound, message, details);
export const conflict = (message: string, details?: ErrorDetails) => make(ErrorCode.Conflict, message, details);
export const serviceUnavailable = (message: string, details?: ErrorDetails) =>
  make(ErrorCode.ServiceUnavailable, message, details);

/** Codes whose message is meant for the caller; anything else is hidden behind a generic message. */
const PUBLIC_CODES = new Set<string>([
  ...Object.values(ErrorCode).filter((c) => c !== ErrorCode.Internal),
  // Apollo Server's own request errors.
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

export function isPublicCode(code: unknown): boolean {
  return typeof code === 'string' && PUBLIC_CODES.has(code);
}
