import { Module } from '@nestjs/common';
import { OtlpModule } from '@slipway/otlp';
import { OtlpExportRepository } from './otlp-export.repository';
import { OtlpExporter } from './otlp-exporter';
import { REPLICA_LOG_SOURCE } from './replica-logs';
import { StoredLogSource } from './stored-log-source';

/**
 * The OTLP export (the worker only, driven by the `otlp-export` job scheduler). Needs DbModule
 * and CONFIG. Replica logs are read from the lines the logs collector stored.
 */
@Module({ imports: [OtlpModule], providers: [OtlpExportRepository, OtlpExporter, StoredLogSource, { provide: REPLICA_LOG_SOURCE, useExisting: StoredLogSource }], exports: [OtlpExporter, OtlpModule] })
export class OtlpExportModule {}
