'use client';

import Link from 'next/link';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { OrgContext, lastOrg, rememberOrg, type CurrentOrg } from '../../lib/org';
import { useSession } from '../../lib/session';
import { ErrorAlert } from '../ui/alert';
import { Loading } from '../ui/layout-bits';
import { NotFoundView } from '../ui/not-found-view';
import { MainNav } from './main-nav';
import { OrgSwitcher } from './org-switcher';
import { UserMenu } from './user-menu';

/**
 * The signed-in frame: top bar, navigation and the current organization. Sends anonymous
 * visitors to /login with `next` set; shows not-found for organizations the user is not in.
 */
export function AppShell({ org, children }: { org?: string; children: ReactNode }) {
  const { state } = useSession();
  const [remembered, setRemembered] = useState<string | null>(null);

  useEffect(() => {
    if (state.status !== 'anonymous') return;
    const next = `${window.location.pathname}${window.location.search}`;
    window.location.replace(`/login?next=${encodeURIComponent(next)}`);
  }, [state.status]);

  useEffect(() => {
    if (org) rememberOrg(org);
    else setRemembered(lastOrg());
  }, [org]);

  const session = state.status === 'authenticated' ? state.session : null;
  const current: CurrentOrg | null = useMemo(() => {
    if (!session) return null;
    const wanted = org ?? remembered;
    const m = session.organizations.find((o) => o.slug === wanted) ?? (org ? undefined : session.organizations[0]);
    return m ? { slug: m.slug, name: m.name, role: m.role } : null;
  }, [session, org, remembered]);

  if (state.status === 'error') {
    return (
      <main className="mx-auto max-w-md py-24">
        <ErrorAlert>{state.message}</ErrorAlert>
      </main>
    );
  }
  if (!session) return <Loading label="Loading your session…" />;

  return (
    <OrgContext.Provider value={current}>
      <header className="sticky top-0 z-10 border-b border-zinc-200 bg-white/95 backdrop-blur">
        <div className="mx-auto flex h-14 max-w-6xl items-center gap-3 px-4">
          <Link href="/" className="flex items-center gap-2 text-sm font-semibold tracking-tight text-zinc-900">
            <span aria-hidden className="flex size-6 items-center justify-center rounded bg-zinc-900 text-xs text-white">
              S
            </span>
            Slipway
          </Link>
          <span aria-hidden className="text-zinc-300">
            /
          </span>
          <OrgSwitcher session={session} current={current?.slug ?? null} />
          <div className="ml-2 flex-1">
            <MainNav org={current?.slug ?? null} role={current?.role ?? null} />
          </div>
          <UserMenu session={session} />
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-4 py-8">{org && !current ? <NotFoundView what="organization" /> : children}</main>
    </OrgContext.Provider>
  );
}
