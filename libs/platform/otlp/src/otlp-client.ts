import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import { encodeOtlp, OTLP_CONTENT_TYPE } from './otlp-encode';
import type { OtlpBatch, OtlpSignal } from './otlp-records';
import { classifyAnswer, type OtlpDelivery } from './otlp-delivery';

/** How long one POST may take before it counts as a network error (and is retried later). */
export const OTLP_REQUEST_TIMEOUT_MS = 10_000;

export type OtlpSettings = Pick<Config, 'OTLP_ENDPOINT' | 'OTLP_HEADERS' | 'OTLP_PROTOCOL'>;

/**
 * Sends one batch to the installation's OTLP/HTTP collector and says what became of it.
 * Never throws for the collector's answers or network errors: the caller decides, from the
 * outcome, whether its cursor moves. OTLP_ENDPOINT is the base URL, as OTEL_EXPORTER_OTLP_ENDPOINT
 * is for the SDKs: `/v1/metrics`, `/v1/traces` and `/v1/logs` are appended.
 */
@Injectable()
export class OtlpClient {
  constructor(@Inject(CONFIG) private readonly settings: OtlpSettings) {}

  get enabled(): boolean {
    return this.settings.OTLP_ENDPOINT !== undefined;
  }

  async send(batch: OtlpBatch): Promise<OtlpDelivery> {
    const endpoint = this.settings.OTLP_ENDPOINT;
    if (!endpoint) throw new Error('OTLP export is off: OTLP_ENDPOINT is not set');
    const protocol = this.settings.OTLP_PROTOCOL;
    const body = encodeOtlp(batch, protocol);
    let response: Response;
    try {
      response = await fetch(signalUrl(endpoint, batch.signal), {
        method: 'POST',
        headers: { ...this.settings.OTLP_HEADERS, 'content-type': OTLP_CONTENT_TYPE[protocol] },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(OTLP_REQUEST_TIMEOUT_MS),
      });
    } catch (err) {
      const cause = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
      return { outcome: 'retry', status: null, retryAfterMs: null, detail: `network error: ${cause}`, bytes: body.byteLength };
    }
    const answer = new Uint8Array(await response.arrayBuffer().catch(() => new ArrayBuffer(0)));
    return { ...classifyAnswer(batch.signal, protocol, response.status, response.headers.get('retry-after'), answer), bytes: body.byteLength };
  }
}

export function signalUrl(endpoint: string, signal: OtlpSignal): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/${signal}`;
}
