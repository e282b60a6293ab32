'use client';

import { useCallback, useState } from 'react';
import { ApiError } from './api';

export interface Action {
  busy: boolean;
  /** `detail ?? title` of the last failure, for a form-level alert. */
  error: string | null;
  /** Field errors of the last failure, keyed by field name. */
  fieldErrors: Record<string, string>;
  /** Stable error code of the last failure (SLUG_TAKEN, FORBIDDEN…), when the api sent one. */
  code: string | null;
  /** Runs `fn`; returns its result, or undefined when it failed (the error is kept). */
  run: <T>(fn: () => Promise<T>) => Promise<T | undefined>;
  setError: (message: string | null, fields?: Record<string, string>) => void;
}

/** Busy and error state of a form submission or a button's API call. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setErrorState] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [code, setCode] = useState<string | null>(null);

  const setError = useCallback((message: string | null, fields: Record<string, string> = {}) => {
    setErrorState(message);
    setFieldErrors(fields);
    setCode(null);
  }, []);

  const run = useCallback(
    async <T>(fn: () => Promise<T>): Promise<T | undefined> => {
      setBusy(true);
      setError(null);
      try {
        return await fn();
      } catch (err) {
        if (err instanceof ApiError) {
          setError(err.message, err.fieldErrors());
          setCode(err.code ?? null);
        } else setError(err instanceof Error ? err.message : 'Something went wrong.');
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [setError],
  );

  return { busy, error, fieldErrors, code, run, setError };
}

/** First message per field of a zod safeParse failure. */
export function zodFieldErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const key = String(issue.path[issue.path.length - 1] ?? '');
    out[key] ??= issue.message;
  }
  return out;
}
