'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { useSession } from '../../lib/session';
import { useAction } from '../../lib/use-action';
import { useApiQuery } from '../../lib/api-query';
import { AuthCard } from '../auth/auth-card';
import { ErrorAlert } from '../ui/alert';
import { Button } from '../ui/button';
import { Loading } from '../ui/layout-bits';

export function InviteView({ token }: { token: string }) {
  const router = useRouter();
  const { state, refresh } = useSession();
  const preview = useApiQuery('previewInvitation', { token });
  const accept = useAction();
  const next = encodeURIComponent(`/invite/${token}`);

  async function join() {
    const org = await accept.run(() => api('acceptInvitation', { params: { token } }));
    if (!org) return;
    await refresh();
    router.push(`/o/${org.slug}/projects`);
  }

  if (preview.error) {
    return (
      <AuthCard title="Invitation not available">
        <ErrorAlert>{preview.error.message}</ErrorAlert>
        <Link href="/" className="mt-4 inline-block text-sm font-medium underline">
          Go to Slipway
        </Link>
      </AuthCard>
    );
  }
  if (!preview.data || state.status === 'loading') return <Loading />;

  const inv = preview.data;
  const alreadyMember = state.status === 'authenticated' && state.session.organizations.some((o) => o.slug === inv.organizationSlug);
  return (
    <AuthCard
      title={`Join ${inv.organizationName}`}
      subtitle={
        <>
          You are invited as <strong className="text-zinc-800">{inv.role.toLowerCase()}</strong>. The link expires{' '}
          {formatDateTime(inv.expiresAt)}.
        </>
      }
    >
      {state.status === 'authenticated' ? (
        <div className="flex flex-col gap-3">
          <ErrorAlert>{accept.error}</ErrorAlert>
          <p className="text-sm text-zinc-600">
            Signed in as <strong>{state.session.user.email}</strong>.
          </p>
          {alreadyMember ? (
            <Link href={`/o/${inv.organizationSlug}/projects`} className="text-sm font-medium underline">
              You are already a member — open {inv.organizationName}
            </Link>
          ) : (
            <Button variant="primary" busy={accept.busy} onClick={join}>
              Accept invitation
            </Button>
          )}
        </div>
      ) : (
        <div className="flex flex-col gap-3">
          <p className="text-sm text-zinc-600">Log in or create an account to accept.</p>
          <Link
            href={`/login?next=${next}`}
            className="rounded-md bg-zinc-900 px-3.5 py-2 text-center text-sm font-medium text-white hover:bg-zinc-700"
          >
            Log in to accept
          </Link>
          <Link
            href={`/signup?next=${next}`}
            className="rounded-md border border-zinc-300 px-3.5 py-2 text-center text-sm font-medium hover:bg-zinc-50"
          >
            Sign up to accept
          </Link>
        </div>
      )}
    </AuthCard>
  );
}
