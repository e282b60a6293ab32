import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import { OtlpExporter, type ExportReport } from '@slipway/observability';
import { JobSchedules } from '@slipway/queue';

/**
 * Every OTLP_EXPORT_SECONDS, once across all workers (and each signal's cursor row is locked
 * besides): what was recorded since the last export goes to the installation's OTLP collector.
 * Without OTLP_ENDPOINT nothing is scheduled, and a schedule left from an earlier run is removed.
 */
@Injectable()
export class OtlpExportSchedule implements OnApplicationBootstrap {
  private readonly logger = new Logger('otlp-export');

  constructor(
    @Inject(CONFIG) private readonly config: Pick<Config, 'OTLP_ENDPOINT' | 'OTLP_EXPORT_SECONDS' | 'OTLP_PROTOCOL'>,
    @Inject(OtlpExporter) private readonly exporter: OtlpExporter,
    @Inject(JobSchedules) private readonly schedules: JobSchedules,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.OTLP_ENDPOINT) {
      await this.schedules.unschedule('otlp-export');
      return;
    }
    this.logger.log(`exporting to ${redactUrl(this.config.OTLP_ENDPOINT)} (OTLP/HTTP ${this.config.OTLP_PROTOCOL}) every ${this.config.OTLP_EXPORT_SECONDS} s`);
    await this.schedules.schedule(
      'otlp-export',
      async () => {
        const report = await this.exporter.exportPass();
        const summary = describe(report);
        if (summary) this.logger.debug(summary);
      },
      { everyMs: this.config.OTLP_EXPORT_SECONDS * 1000 },
    );
  }
}

/** `metrics 120, traces 3` for the debug log; '' when nothing moved. */
function describe(report: ExportReport): string {
  return Object.entries(report)
    .flatMap(([signal, r]) => (r !== 'off' && (r.exported || r.dropped) ? [`${signal} ${r.exported}${r.dropped ? ` (${r.dropped} dropped)` : ''}`] : []))
    .join(', ');
}

/** The endpoint without any user:password in it, for the log. */
function redactUrl(url: string): string {
  const u = new URL(url);
  if (u.username || u.password) u.username = u.password = '';
  return u.toString();
}
