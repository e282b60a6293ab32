import type { Metadata } from 'next';
import { Suspense } from 'react';
import { LoginForm } from '../../components/auth/login-form';
import { Loading } from '../../components/ui/layout-bits';

export const metadata: Metadata = { title: 'Log in' };

export default function LoginPage() {
  return (
    <Suspense fallback={<Loading />}>
      <LoginForm />
    </Suspense>
  );
}
