import { Module } from '@nestjs/common';
import { OtlpClient } from './otlp-client';

/** The OTLP/HTTP client of the installation's collector (OTLP_* settings). Needs CONFIG from the app. */
@Module({ providers: [OtlpClient], exports: [OtlpClient] })
export class OtlpModule {}
