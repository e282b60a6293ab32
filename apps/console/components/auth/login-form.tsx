'use client';

import { loginInputSchema } from '@slipway/contracts';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { api } from '../../lib/api';
import { homePath, safeNext, useSession } from '../../lib/session';
import { useAction, zodFieldErrors } from '../../lib/use-action';
import { ErrorAlert } from '../ui/alert';
import { Button } from '../ui/button';
import { TextField } from '../ui/field';
import { AuthCard } from './auth-card';

export function LoginForm() {
  const next = useSearchParams().get('next');
  const router = useRouter();
  const { setSession } = useSession();
  const action = useAction();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  async function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = loginInputSchema.safeParse({ email, password });
    if (!parsed.success) return action.setError(null, zodFieldErrors(parsed.error.issues));
    const session = await action.run(() => api('login', { body: parsed.data }));
    if (!session) return;
    setSession(session);
    router.replace(safeNext(next, homePath(session)));
  }

  const signupHref = next ? `/signup?next=${encodeURIComponent(next)}` : '/signup';
  return (
    <AuthCard
      title="Log in to Slipway"
      footer={
        <>
          No account yet?{' '}
          <Link href={signupHref} className="font-medium text-zinc-900 underline">
            Sign up
          </Link>
        </>
      }
    >
      <form onSubmit={submit} noValidate className="flex flex-col gap-4">
        <ErrorAlert>{action.error}</ErrorAlert>
        <TextField
          label="Email"
          type="email"
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={action.fieldErrors.email}
          required
        />
        <TextField
          label="Password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={action.fieldErrors.password}
          required
        />
        <Button type="submit" variant="primary" busy={action.busy}>
          Log in
        </Button>
      </form>
    </AuthCard>
  );
}
