'use client';

import { signupInputSchema } from '@slipway/contracts';
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

export function SignupForm() {
  const next = useSearchParams().get('next');
  const router = useRouter();
  const { setSession } = useSession();
  const action = useAction();
  const [form, setForm] = useState({ name: '', email: '', password: '', organizationName: '' });
  const set = (field: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [field]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = signupInputSchema.safeParse({
      name: form.name,
      email: form.email,
      password: form.password,
      organizationName: form.organizationName.trim() ? form.organizationName : undefined,
    });
    if (!parsed.success) return action.setError(null, zodFieldErrors(parsed.error.issues));
    const session = await action.run(() => api('signup', { body: parsed.data }));
    if (!session) return;
    setSession(session);
    router.replace(safeNext(next, homePath(session)));
  }

  const loginHref = next ? `/login?next=${encodeURIComponent(next)}` : '/login';
  return (
    <AuthCard
      title="Create your account"
      subtitle="Deploy your first app in minutes."
      footer={
        <>
          Already have an account?{' '}
          <Link href={loginHref} className="font-medium text-zinc-900 underline">
            Log in
          </Link>
        </>
      }
    >
      <form onSubmit={submit} noValidate className="flex flex-col gap-4">
        <ErrorAlert>{action.error}</ErrorAlert>
        <TextField label="Name" autoComplete="name" value={form.name} onChange={set('name')} error={action.fieldErrors.name} required />
        <TextField
          label="Email"
          type="email"
          autoComplete="email"
          value={form.email}
          onChange={set('email')}
          error={action.fieldErrors.email}
          required
        />
        <TextField
          label="Password"
          type="password"
          autoComplete="new-password"
          value={form.password}
          onChange={set('password')}
          error={action.fieldErrors.password}
          hint="At least 10 characters."
          required
        />
        <TextField
          label="Organization name"
          value={form.organizationName}
          onChange={set('organizationName')}
          error={action.fieldErrors.organizationName}
          hint="Optional. Defaults to your name."
        />
        <Button type="submit" variant="primary" busy={action.busy}>
          Sign up
        </Button>
      </form>
    </AuthCard>
  );
}
