'use client';

import type { SessionDto } from '@slipway/contracts';
import Link from 'next/link';
import { MENU_ITEM, Menu } from '../ui/menu';

export function OrgSwitcher({ session, current }: { session: SessionDto; current: string | null }) {
  const org = session.organizations.find((o) => o.slug === current) ?? null;
  return (
    <Menu label="Switch organization" button={<span className="max-w-48 truncate">{org?.name ?? 'Select organization'}</span>}>
      {(close) => (
        <div>
          <p className="px-2.5 py-1 text-xs font-medium text-zinc-500">Organizations</p>
          <ul>
            {session.organizations.map((o) => (
              <li key={o.organizationId}>
                <Link
                  href={`/o/${o.slug}/projects`}
                  onClick={close}
                  className={MENU_ITEM}
                  aria-current={o.slug === current ? 'true' : undefined}
                >
                  <span className="truncate">{o.name}</span>
                  <span className="text-xs text-zinc-400">{o.role.toLowerCase()}</span>
                </Link>
              </li>
            ))}
          </ul>
          <div className="my-1 border-t border-zinc-100" />
          <Link href="/orgs/new" onClick={close} className={MENU_ITEM}>
            New organization
          </Link>
        </div>
      )}
    </Menu>
  );
}
