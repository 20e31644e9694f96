import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { User } from 'oidc-client-ts';
import { userManager } from './user-manager.js';

export interface AuthState {
  /** Null until known (the stored session is read asynchronously), then the user or undefined. */
  user: User | null | undefined;
  /** Sends the browser to the issuer; `returnTo` is where the callback lands afterwards. */
  signIn: (returnTo?: string) => Promise<void>;
  signOut: () => Promise<void>;
  /** True from the click on "Sign out" on: nothing may start a new sign-in meanwhile. */
  signingOut: boolean;
}

/** What the callback reads back from the sign-in request's state. */
export interface SignInState {
  returnTo: string;
}

const AuthContext = createContext<AuthState | undefined>(undefined);

export const currentPath = () => `${window.location.pathname}${window.location.search}${window.location.hash}`;

export function signInAgain(returnTo = currentPath()): Promise<void> {
  return userManager().signinRedirect({ state: { returnTo } satisfies SignInState });
}

/**
 * Holds the signed-in user. oidc-client-ts renews the token before it expires; when that fails
 * and the token has expired, the user signs in again and comes back to the page they were on.
 */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null | undefined>(null);
  const [signingOut, setSigningOut] = useState(false);

  useEffect(() => {
    const manager = userManager();
    let alive = true;
    void manager.getUser().then((stored) => {
      if (alive) setUser(stored && !stored.expired ? stored : undefined);
    });
    const onLoaded = (loaded: User) => setUser(loaded);
    const onUnloaded = () => setUser(undefined);
    const onExpired = () => {
      // Silent renewal had its chance before expiry; try once more (the page may have slept), then sign in.
      manager.signinSilent().catch(() => signInAgain());
    };
    manager.events.addUserLoaded(onLoaded);
    manager.events.addUserUnloaded(onUnloaded);
    manager.events.addAccessTokenExpired(onExpired);
    return () => {
      alive = false;
      manager.events.removeUserLoaded(onLoaded);
      manager.events.removeUserUnloaded(onUnloaded);
      manager.events.removeAccessTokenExpired(onExpired);
    };
  }, []);

  const signIn = useCallback((returnTo?: string) => signInAgain(returnTo), []);
  const signOut = useCallback(async () => {
    // oidc-client-ts forgets the user before it leaves for the issuer: without this flag, the
    // "no user" that follows would start a sign-in that races the sign-out (and wins).
    setSigningOut(true);
    const manager = userManager();
    // The dev issuer and most others end their session at end_session_endpoint; without one, forget locally.
    const metadata = await manager.metadataService.getMetadata().catch(() => undefined);
    if (metadata?.end_session_endpoint) {
      const left = await manager.signoutRedirect().then(
        () => true,
        () => false,
      );
      if (left) return;
    }
    await manager.removeUser();
    window.location.assign('/');
  }, []);

  const value = useMemo(() => ({ user, signIn, signOut, signingOut }), [user, signIn, signOut, signingOut]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside AuthProvider');
  return auth;
}
