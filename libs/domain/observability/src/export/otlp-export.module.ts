import { Module } from '@nestjs/common';
import { OtlpModule } from '@slipway/otlp';
import { OtlpExportRepository } from './otlp-export.repository';
import { OtlpExporter } from './otlp-exporter';

/**
 * The OTLP export (the worker only, driven by the `otlp-export` job scheduler). Needs DbModule
 * and CONFIG. Replica logs are exported once a REPLICA_LOG_SOURCE is provided to it.
 */
@Module({ imports: [OtlpModule], providers: [OtlpExportRepository, OtlpExporter], exports: [OtlpExporter, OtlpModule] })
export class OtlpExportModule {}
