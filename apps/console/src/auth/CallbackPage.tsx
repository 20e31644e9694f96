import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { userManager } from './user-manager.js';
import type { SignInState } from './AuthProvider.js';
import { Loading } from '../ui/Loading.js';

/** Only same-origin paths: a forged state must not send the user to another site. */
export function safeReturnPath(state: unknown): string {
  const returnTo = (state as Partial<SignInState> | undefined)?.returnTo;
  if (typeof returnTo !== 'string' || !returnTo.startsWith('/') || returnTo.startsWith('//')) return '/';
  return returnTo;
}

/** The issuer's redirect lands here, for sign-ins and (inside an iframe) silent renewals. */
export function CallbackPage() {
  const navigate = useNavigate();
  const [error, setError] = useState<string>();
  const handled = useRef(false);

  useEffect(() => {
    // React's development double effects would otherwise redeem the one-time code twice.
    if (handled.current) return;
    handled.current = true;
    userManager()
      .signinCallback()
      .then((user) => {
        if (user) navigate(safeReturnPath(user.state), { replace: true });
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [navigate]);

  if (error) {
    return (
      <main className="page">
        <h1>Sign-in failed</h1>
        <p role="alert">{error}</p>
        <a href="/">Try again</a>
      </main>
    );
  }
  return <Loading label="Signing in" />;
}
