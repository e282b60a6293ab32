import type { SessionDto } from '@slipway/contracts';

/** Where to go after signing in: only same-site paths, never `//host`, `/\host` or absolute URLs. */
export function safeNext(next: string | null | undefined, fallback: string): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  return next;
}

/** The signed-in home: the first organization's projects, or creating one. */
export function homePath(session: SessionDto): string {
  const first = session.organizations[0];
  return first ? `/o/${first.slug}/projects` : '/orgs/new';
}
