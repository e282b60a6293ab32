import { Module } from '@nestjs/common';
import { SecretsRepository } from './secrets.repository';
import { SecretsService } from './secrets.service';
import { EnvVarWriter } from './use-cases/write-env-var';

/**
 * Environment variables and secrets. Imports nothing: PrismaService (DbModule), Envelope
 * (CryptoModule), AuditService (AuditModule) and CONFIG come from global modules.
 */
@Module({ providers: [SecretsRepository, EnvVarWriter, SecretsService], exports: [SecretsService] })
export class SecretsModule {}
