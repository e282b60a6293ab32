'use client';

import { roleAtLeast, type Role } from '@slipway/contracts';
import Link from 'next/link';
import { usePathname } from 'next/navigation';

export function MainNav({ org, role }: { org: string | null; role: Role | null }) {
  const pathname = usePathname();
  const items = [
    ...(org
      ? [
          { href: `/o/${org}/projects`, label: 'Projects' },
          { href: `/o/${org}/observability`, label: 'Observability' },
          { href: `/o/${org}/members`, label: 'Members' },
          { href: `/o/${org}/gateway`, label: 'Gateway' },
          { href: `/o/${org}/apis`, label: 'APIs' },
          { href: `/o/${org}/subscriptions`, label: 'Subscriptions' },
          ...(role && roleAtLeast(role, 'ADMIN') ? [{ href: `/o/${org}/audit`, label: 'Audit log' }] : []),
        ]
      : []),
    { href: '/settings/tokens', label: 'Tokens' },
    { href: '/catalog', label: 'Catalog' },
  ];
  return (
    <nav aria-label="Main" className="flex items-center gap-1">
      {items.map((item) => {
        const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={active ? 'page' : undefined}
            className={`rounded-md px-2.5 py-1.5 text-sm ${active ? 'bg-zinc-100 font-medium text-zinc-900' : 'text-zinc-600 hover:text-zinc-900'}`}
          >
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}
