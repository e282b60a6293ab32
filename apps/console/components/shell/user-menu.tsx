'use client';

import type { SessionDto } from '@slipway/contracts';
import Link from 'next/link';
import { useState } from 'react';
import { api } from '../../lib/api';
import { MENU_ITEM, Menu } from '../ui/menu';

export function UserMenu({ session }: { session: SessionDto }) {
  const [error, setError] = useState<string | null>(null);

  async function logout() {
    try {
      await api('logout');
    } catch (err) {
      // A session that already ended is logged out too; anything else is worth showing.
      if (!(err instanceof Error) || !('status' in err) || err.status !== 401) {
        setError(err instanceof Error ? err.message : 'Could not log out.');
        return;
      }
    }
    // A full navigation drops every piece of client state that belonged to the session.
    window.location.assign('/login');
  }

  return (
    <Menu
      label="Account menu"
      align="right"
      button={
        <span className="flex size-6 items-center justify-center rounded-full bg-zinc-900 text-xs text-white">
          {session.user.name.slice(0, 1).toUpperCase()}
        </span>
      }
    >
      {(close) => (
        <div>
          <div className="px-2.5 py-1.5">
            <p className="truncate text-sm font-medium text-zinc-900">{session.user.name}</p>
            <p className="truncate text-xs text-zinc-500">{session.user.email}</p>
          </div>
          <div className="my-1 border-t border-zinc-100" />
          <Link href="/settings/tokens" onClick={close} className={MENU_ITEM}>
            API tokens
          </Link>
          <button type="button" onClick={logout} className={MENU_ITEM}>
            Log out
          </button>
          {error ? (
            <p role="alert" className="px-2.5 py-1 text-xs text-red-600">
              {error}
            </p>
          ) : null}
        </div>
      )}
    </Menu>
  );
}
