import { Injectable } from '@nestjs/common';
import { PrismaService, type Tx } from '@slipway/db';

@Injectable()
export class UsersRepository {
  constructor(private readonly prisma: PrismaService) {}

  async create(data: { email: string; name: string; passwordHash: string }, tx?: Tx) {
    return (tx ?? this.prisma).user.create({ data });
  }

  /** The only read that returns the password hash: login needs it, nothing else does. */
  async findWithPasswordByEmail(email: string) {
    return this.prisma.user.findUnique({ where: { email }, omit: { passwordHash: false } });
  }
}
