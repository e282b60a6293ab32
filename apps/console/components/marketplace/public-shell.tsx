'use client';

import Link from 'next/link';
import type { ReactNode } from 'react';
import { homePath, useSession } from '../../lib/session';

/**
 * The frame of the public catalog: unlike the signed-in AppShell it never sends a visitor to
 * /login. Signed out, it offers to log in or sign up and come back here; signed in, it leads
 * back to the console.
 */
export function PublicShell({ children }: { children: ReactNode }) {
  const { state } = useSession();
  const session = state.status === 'authenticated' ? state.session : null;
  const here = typeof window === 'undefined' ? '/catalog' : `${window.location.pathname}${window.location.search}`;
  return (
    <>
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
          <nav aria-label="Main" className="flex flex-1 items-center gap-1">
            <Link href="/catalog" className="rounded-md bg-zinc-100 px-2.5 py-1.5 text-sm font-medium text-zinc-900">
              API catalog
            </Link>
          </nav>
          {session ? (
            <Link href={homePath(session)} className="text-sm text-zinc-700 hover:text-zinc-900">
              Console
            </Link>
          ) : state.status === 'anonymous' ? (
            <div className="flex items-center gap-2 text-sm">
              <Link href={`/login?next=${encodeURIComponent(here)}`} className="text-zinc-700 hover:text-zinc-900">
                Log in
              </Link>
              <Link
                href={`/signup?next=${encodeURIComponent(here)}`}
                className="rounded-md bg-zinc-900 px-3 py-1.5 font-medium text-white hover:bg-zinc-700"
              >
                Sign up
              </Link>
            </div>
          ) : null}
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-4 py-8">{children}</main>
    </>
  );
}
