import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from './logger.js';

const body = (message: string, code: string) => ({ errors: [{ message, extensions: { code } }] });

/**
 * What Express would answer with an HTML page and a stack trace (a body that is not JSON or
 * is too large, anything thrown before GraphQL handling) as a JSON GraphQL error instead: no
 * stack, no path, no internal address.
 */
export function jsonErrors(logger: Logger): ErrorRequestHandler {
  return (error: { type?: string; status?: number; limit?: number }, _req, res, next) => {
    if (res.headersSent) return next(error);
    if (error.type === 'entity.too.large') {
      res
        .status(413)
        .json(body(`The request body is larger than ${error.limit ?? 'the limit'} bytes.`, 'PAYLOAD_TOO_LARGE'));
    } else if (
      error.type === 'entity.parse.failed' ||
      error.type === 'encoding.unsupported' ||
      error.type === 'charset.unsupported'
    ) {
      res.status(400).json(body('The request body is not valid JSON.', 'BAD_REQUEST'));
    } else if (error.status && error.status >= 400 && error.status < 500) {
      res.status(error.status).json(body('The request could not be read.', 'BAD_REQUEST'));
    } else {
      logger.error({ err: error }, 'request failed before GraphQL handling');
      res.status(500).json(body('Internal server error.', 'INTERNAL_SERVER_ERROR'));
    }
  };
}

/** Anything but /graphql and /health. */
export const notFound: RequestHandler = (req, res) => {
  res.status(404).json(body(`Nothing at ${req.path.slice(0, 200)}; GraphQL is at /graphql.`, 'NOT_FOUND'));
};
