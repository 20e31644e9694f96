import { useEffect, type ReactNode } from 'react';
import { useAuth } from './AuthProvider.js';
import { Loading } from '../ui/Loading.js';

/** Pages behind it need a user: without one, the browser goes to the issuer and comes back here. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { user, signIn } = useAuth();
  useEffect(() => {
    if (user === undefined) void signIn();
  }, [user, signIn]);
  if (!user) return <Loading label="Signing in" />;
  return <>{children}</>;
}
