import { Inject, Injectable } from '@nestjs/common';
import type {
  GatewayRequestDto,
  GatewayRequestsQuery,
  GatewayUsageDto,
  GatewayUsageQuery,
  TenantScope,
  UsagePeriod,
  UsageTotals,
  WireFormat,
} from '@slipway/contracts';
import type { GatewayRequest } from '@slipway/db';
import { notFound, validationFailed } from '@slipway/errors';
import { UsageRepository, type UsageSums } from './usage.repository';

/** The project as the caller resolved it (ProjectsService.require): its id and environments. */
export interface UsageProject {
  id: string;
  environments: readonly { id: string; name: string }[];
}

/**
 * What the console reads about a project's gateway traffic. The project is resolved by the
 * caller inside the tenant (another organization's project is a 404 there); every query here
 * is confined to the tenant again.
 */
@Injectable()
export class GatewayUsageService {
  constructor(@Inject(UsageRepository) private readonly repository: UsageRepository) {}

  /** Recent requests, newest first; `before` continues after the last row of a page. */
  async listRequests(scope: TenantScope, project: UsageProject, query: GatewayRequestsQuery): Promise<GatewayRequestDto[]> {
    let environmentId: string | undefined;
    if (query.environment !== undefined) {
      environmentId = project.environments.find((e) => e.name === query.environment)?.id;
      if (!environmentId) throw notFound(`Environment "${query.environment}"`);
    }
    const rows = await this.repository.listRequests(scope, project.id, { limit: query.limit, before: query.before, environmentId });
    if (!rows) throw validationFailed([{ path: 'before', message: 'No request with this id in this project.' }]);
    const names = new Map(project.environments.map((e) => [e.id, e.name]));
    return rows.map((r) => toRequestDto(r, names));
  }

  /** Totals of the current UTC day or month from the per-minute rollups, overall and by key, model, feature and customer. */
  async usage(scope: TenantScope, project: UsageProject, query: GatewayUsageQuery, now = new Date()): Promise<GatewayUsageDto> {
    const from = periodStart(query.period, now);
    const [totals, byKey, byModel, byFeature, byCustomer] = await Promise.all([
      this.repository.totals(scope, project.id, from),
      this.repository.breakdown(scope, project.id, from, 'keyId'),
      this.repository.breakdown(scope, project.id, from, 'model'),
      this.repository.breakdown(scope, project.id, from, 'feature'),
      this.repository.breakdown(scope, project.id, from, 'customer'),
    ]);
    const keys = await this.repository.keyLabels(
      scope,
      byKey.map((k) => k.value),
    );
    return {
      period: query.period,
      from: from.toISOString(),
      to: now.toISOString(),
      totals: toTotals(totals),
      byKey: byKey.map((k) => ({
        keyId: k.value,
        keyName: keys.get(k.value)?.name ?? null,
        keyPrefix: keys.get(k.value)?.prefix ?? null,
        ...toTotals(k),
      })),
      byModel: byModel.map((m) => ({ model: m.value, ...toTotals(m) })),
      byFeature: byFeature.map((f) => ({ feature: f.value || null, ...toTotals(f) })),
      byCustomer: byCustomer.map((c) => ({ customer: c.value || null, ...toTotals(c) })),
    };
  }
}

/** Midnight UTC of `now`'s day, or the first of its month. */
export function periodStart(period: UsagePeriod, now: Date): Date {
  return period === 'day'
    ? new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()))
    : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

const usd = (micros: bigint | number): number => Number(micros) / 1_000_000;

function toTotals(s: UsageSums): UsageTotals {
  const inputTokens = Number(s.inputTokens);
  const outputTokens = Number(s.outputTokens);
  const cacheReadTokens = Number(s.cacheReadTokens);
  const cacheWriteTokens = Number(s.cacheWriteTokens);
  return {
    requests: Number(s.requests),
    errors: Number(s.errors),
    inputTokens,
    outputTokens,
    cacheReadTokens,
    cacheWriteTokens,
    tokens: inputTokens + outputTokens + cacheReadTokens + cacheWriteTokens,
    costUsd: usd(s.costMicros),
  };
}

function toRequestDto(r: GatewayRequest, environments: Map<string, string>): GatewayRequestDto {
  return {
    id: r.id,
    environment: r.environmentId ? (environments.get(r.environmentId) ?? null) : null,
    releaseId: r.releaseId,
    keyId: r.keyId,
    api: r.api as WireFormat,
    modelRequested: r.modelRequested,
    modelServed: r.modelServed,
    provider: r.provider,
    status: r.status,
    errorCategory: r.errorCategory,
    latencyMs: r.latencyMs,
    ttftMs: r.ttftMs,
    inputTokens: r.inputTokens,
    outputTokens: r.outputTokens,
    cacheReadTokens: r.cacheReadTokens,
    cacheWriteTokens: r.cacheWriteTokens,
    costUsd: usd(r.costMicros),
    retries: r.retries,
    fallbackChain: r.fallbackChain,
    streamed: r.streamed,
    usageEstimated: r.usageEstimated,
    feature: r.feature,
    customer: r.customer,
    createdAt: r.createdAt.toISOString(),
  };
}
