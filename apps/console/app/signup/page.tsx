import type { Metadata } from 'next';
import { Suspense } from 'react';
import { SignupForm } from '../../components/auth/signup-form';
import { Loading } from '../../components/ui/layout-bits';

export const metadata: Metadata = { title: 'Sign up' };

export default function SignupPage() {
  return (
    <Suspense fallback={<Loading />}>
      <SignupForm />
    </Suspense>
  );
}
