import { Injectable } from '@nestjs/common';
import { generateSecretToken, hasValidChecksum, sha256Hex } from '@slipway/crypto';
import { PrismaService } from '@slipway/db';
import { AppError, notFound } from '@slipway/errors';
import { AuditService } from '@slipway/audit';
import {
  API_TOKEN_PREFIX,
  createTokenInputSchema,
  type Actor,
  type CreateTokenInput,
  type CreatedTokenDto,
  type TokenDto,
  type TokenScope,
} from '@slipway/contracts';
import { TokensRepository } from './tokens.repository';
import { toTokenDto } from './mappers';

/** Characters of the token kept in clear for lists: the prefix plus enough to tell tokens apart. */
const DISPLAY_PREFIX_LENGTH = API_TOKEN_PREFIX.length + 8;

export interface TokenPrincipal {
  tokenId: string;
  scopes: TokenScope[];
  user: { id: string; email: string; name: string };
}

@Injectable()
export class TokensService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly tokens: TokensRepository,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Actor, raw: CreateTokenInput): Promise<CreatedTokenDto> {
    const input = createTokenInputSchema.parse(raw);
    const token = generateSecretToken(API_TOKEN_PREFIX);
    const expiresAt = input.expiresInDays === null ? null : new Date(Date.now() + input.expiresInDays * 86_400_000);
    const scopes = [...new Set(input.scopes)];
    const created = await this.prisma.$transaction(async (tx) => {
      const row = await this.tokens.create(actor.userId, { name: input.name, prefix: token.slice(0, DISPLAY_PREFIX_LENGTH), tokenHash: sha256Hex(token), scopes, expiresAt }, tx);
      await this.audit.record({ actor, action: 'token.created', target: `token:${row.prefix}…`, metadata: { name: input.name, scopes, expiresAt: expiresAt?.toISOString() ?? null } }, tx);
      return row;
    });
    return { ...toTokenDto(created), token };
  }

  async list(actor: Actor): Promise<TokenDto[]> {
    return (await this.tokens.list(actor.userId)).map(toTokenDto);
  }

  async revoke(actor: Actor, tokenId: string): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const token = await this.tokens.find(actor.userId, tokenId, tx);
      if (!token) throw notFound('Token');
      if (token.revokedAt) return;
      await this.tokens.revoke(actor.userId, tokenId, new Date(), tx);
      await this.audit.record({ actor, action: 'token.revoked', target: `token:${token.prefix}…`, metadata: { name: token.name } }, tx);
    });
  }

  /**
   * Resolves a bearer token. The checksum rejects malformed tokens without a database
   * lookup; a revoked or expired token fails on the very next request (no cache).
   */
  async authenticate(token: string): Promise<TokenPrincipal> {
    if (!token.startsWith(API_TOKEN_PREFIX) || !hasValidChecksum(token, API_TOKEN_PREFIX)) throw new AppError('TOKEN_INVALID');
    const row = await this.tokens.findByHash(sha256Hex(token));
    if (!row) throw new AppError('TOKEN_INVALID');
    if (row.revokedAt) throw new AppError('TOKEN_REVOKED');
    const now = new Date();
    if (row.expiresAt && row.expiresAt <= now) throw new AppError('TOKEN_EXPIRED');
    if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) void this.tokens.touch(row.id, now).catch(() => undefined);
    return { tokenId: row.id, scopes: row.scopes as TokenScope[], user: { id: row.user.id, email: row.user.email, name: row.user.name } };
  }
}
