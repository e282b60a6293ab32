import { Injectable } from '@nestjs/common';
import { PrismaService, type Tx } from '@slipway/db';

@Injectable()
export class SessionsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async create(
    data: { userId: string; tokenHash: string; csrfToken: string; expiresAt: Date; ip: string | null; userAgent: string | null },
    tx?: Tx,
  ) {
    return (tx ?? this.prisma).session.create({ data });
  }

  async findByTokenHash(tokenHash: string) {
    return this.prisma.session.findUnique({ where: { tokenHash }, include: { user: true } });
  }

  async touch(id: string, now: Date) {
    return this.prisma.session.update({ where: { id }, data: { lastSeenAt: now } });
  }

  async deleteByTokenHash(tokenHash: string): Promise<void> {
    await this.prisma.session.deleteMany({ where: { tokenHash } });
  }

  async deleteById(id: string): Promise<void> {
    await this.prisma.session.deleteMany({ where: { id } });
  }

  async deleteExpired(now: Date): Promise<number> {
    return (await this.prisma.session.deleteMany({ where: { expiresAt: { lt: now } } })).count;
  }
}
