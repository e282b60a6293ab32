import type { SessionDto } from '@slipway/contracts';
import { describe, expect, it } from 'vitest';
import { homePath, safeNext } from './paths';

describe('safeNext', () => {
  it('keeps same-site paths with their query', () => {
    expect(safeNext('/invite/abc?x=1', '/')).toBe('/invite/abc?x=1');
  });

  it.each([null, undefined, '', 'https://evil.test/', '//evil.test/x', '/\\evil.test', 'javascript:alert(1)'])('refuses %s', (next) => {
    expect(safeNext(next, '/home')).toBe('/home');
  });
});

describe('homePath', () => {
  const session = (slugs: string[]): SessionDto => ({
    user: { id: 'u', email: 'a@b.c', name: 'A', createdAt: '' },
    organizations: slugs.map((slug) => ({ organizationId: slug, slug, name: slug, role: 'OWNER' })),
    csrfToken: 't',
    expiresAt: '',
  });

  it("goes to the first organization's projects", () => {
    expect(homePath(session(['acme', 'other']))).toBe('/o/acme/projects');
  });

  it('asks for an organization when the user has none', () => {
    expect(homePath(session([]))).toBe('/orgs/new');
  });
});
