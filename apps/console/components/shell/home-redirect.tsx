'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { homePath, useSession } from '../../lib/session';
import { ErrorAlert } from '../ui/alert';
import { Loading } from '../ui/layout-bits';

/** `/` → the first organization's projects, or the login page. */
export function HomeRedirect() {
  const { state } = useSession();
  const router = useRouter();

  useEffect(() => {
    if (state.status === 'authenticated') router.replace(homePath(state.session));
    else if (state.status === 'anonymous') router.replace('/login');
  }, [state, router]);

  if (state.status === 'error') {
    return (
      <main className="mx-auto max-w-md py-24">
        <ErrorAlert>{state.message}</ErrorAlert>
      </main>
    );
  }
  return <Loading />;
}
