import type { InvitationDto, MemberDto, OrganizationDto, Role, TokenDto, TokenScope, UserDto } from '@slipway/contracts';

export const toUserDto = (u: { id: string; email: string; name: string; createdAt: Date }): UserDto => ({
  id: u.id,
  email: u.email,
  name: u.name,
  createdAt: u.createdAt.toISOString(),
});

export const toOrganizationDto = (o: { id: string; slug: string; name: string; createdAt: Date }, role: Role): OrganizationDto => ({
  id: o.id,
  slug: o.slug,
  name: o.name,
  role,
  createdAt: o.createdAt.toISOString(),
});

export const toMemberDto = (m: { role: Role; createdAt: Date; user: { id: string; email: string; name: string } }): MemberDto => ({
  userId: m.user.id,
  email: m.user.email,
  name: m.user.name,
  role: m.role,
  joinedAt: m.createdAt.toISOString(),
});

export const toInvitationDto = (i: { id: string; role: Role; email: string | null; expiresAt: Date; acceptedAt: Date | null; createdAt: Date }): InvitationDto => ({
  id: i.id,
  role: i.role,
  email: i.email,
  expiresAt: i.expiresAt.toISOString(),
  acceptedAt: i.acceptedAt?.toISOString() ?? null,
  createdAt: i.createdAt.toISOString(),
});

const iso = (d: Date | null) => d?.toISOString() ?? null;
export const toTokenDto = (t: { id: string; name: string; prefix: string; scopes: string[]; expiresAt: Date | null; lastUsedAt: Date | null; revokedAt: Date | null; createdAt: Date }): TokenDto => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  scopes: t.scopes as TokenScope[],
  expiresAt: iso(t.expiresAt),
  lastUsedAt: iso(t.lastUsedAt),
  revokedAt: iso(t.revokedAt),
  createdAt: t.createdAt.toISOString(),
});
