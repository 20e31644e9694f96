import { useEffect, type ReactNode } from 'react';
import { useAuth } from './AuthProvider.js';
import { Loading } from '../ui/Loading.js';

/** Pages behind it need a user: without one, the browser goes to the issuer and comes back here. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { user, signIn, signingOut } = useAuth();
  useEffect(() => {
    if (user === undefined && !signingOut) void signIn();
  }, [user, signIn, signingOut]);
  if (signingOut) return <Loading label="Signing out" />;
  if (!user) return <Loading label="Signing in" />;
  return <>{children}</>;
}
