'use client';

import type { SessionDto } from '@slipway/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiError, api, setCsrfToken, setUnauthenticatedHandler } from './api';

export { homePath, safeNext } from './paths';

export type SessionState =
  | { status: 'loading'; session: null }
  | { status: 'authenticated'; session: SessionDto }
  | { status: 'anonymous'; session: null }
  | { status: 'error'; session: null; message: string };

interface SessionContextValue {
  state: SessionState;
  /** Store the session a login, signup or invitation answer returned. */
  setSession: (session: SessionDto | null) => void;
  /** Reload the session (after joining or creating an organization). */
  refresh: () => Promise<SessionDto | null>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading', session: null });

  const queryClient = useQueryClient();
  const userId = useRef<string | null>(null);

  const setSession = useCallback(
    (session: SessionDto | null) => {
      // Signed out, or someone else signed in: nothing cached for the previous user may show.
      const next = session?.user.id ?? null;
      if (userId.current !== null && userId.current !== next) queryClient.clear();
      userId.current = next;
      setCsrfToken(session?.csrfToken ?? null);
      setState(session ? { status: 'authenticated', session } : { status: 'anonymous', session: null });
    },
    [queryClient],
  );

  const refresh = useCallback(async () => {
    try {
      const session = await api('session');
      setSession(session);
      return session;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        setSession(null);
        return null;
      }
      const message = err instanceof Error ? err.message : 'Cannot load your session.';
      setState({ status: 'error', session: null, message });
      return null;
    }
  }, [setSession]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    setUnauthenticatedHandler(() => setSession(null));
    return () => setUnauthenticatedHandler(null);
  }, [setSession]);

  const value = useMemo(() => ({ state, setSession, refresh }), [state, setSession, refresh]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession must be used inside <SessionProvider>.');
  return ctx;
}
