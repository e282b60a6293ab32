import { Global, Module } from '@nestjs/common';
import { PrismaService } from './prisma.service';

/** Global: PrismaService (needs the global CONFIG from ConfigModule). Import once, in each app's root module. */
@Global()
@Module({ providers: [PrismaService], exports: [PrismaService] })
export class DbModule {}
