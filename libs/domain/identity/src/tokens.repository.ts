import { Injectable } from '@nestjs/common';
import { PrismaService, type Tx } from '@slipway/db';

/** Personal API tokens belong to a user, so the user id is this repository's tenant scope. */
@Injectable()
export class TokensRepository {
  constructor(private readonly prisma: PrismaService) {}

  async create(userId: string, data: { name: string; prefix: string; tokenHash: string; scopes: string[]; expiresAt: Date | null }, tx?: Tx) {
    return (tx ?? this.prisma).apiToken.create({ data: { ...data, userId } });
  }

  async list(userId: string) {
    return this.prisma.apiToken.findMany({ where: { userId }, orderBy: { createdAt: 'desc' } });
  }

  async findByHash(tokenHash: string) {
    return this.prisma.apiToken.findUnique({ where: { tokenHash }, include: { user: true } });
  }

  async find(userId: string, id: string, tx?: Tx) {
    return (tx ?? this.prisma).apiToken.findFirst({ where: { id, userId } });
  }

  async revoke(userId: string, id: string, now: Date, tx?: Tx): Promise<void> {
    await (tx ?? this.prisma).apiToken.updateMany({ where: { id, userId, revokedAt: null }, data: { revokedAt: now } });
  }

  async touch(id: string, now: Date): Promise<void> {
    await this.prisma.apiToken.update({ where: { id }, data: { lastUsedAt: now } });
  }
}
