import { requestFailure } from '../graphql/errors.js';

/** The request as a whole failed (network, router down): say so where the page would be. */
export function PageError({ error }: { error: unknown }) {
  const message = requestFailure(error);
  if (!message) return null;
  return (
    <div className="notice notice-error" role="alert">
      {message}
    </div>
  );
}
