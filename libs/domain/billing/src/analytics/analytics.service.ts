import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import type { ApiAnalyticsDto, ApiAnalyticsQuery, EnvironmentApiRevenueDto, OrganizationRevenueDto, RevenueQuery, TenantScope } from '@slipway/contracts';
import { AppError } from '@slipway/errors';
import { planPoints, resolveRange } from '@slipway/observability';
import { statementAmounts } from '../payouts/payout-math';
import { AnalyticsRepository, type SlotRow } from './analytics.repository';
import { spreadOverSlots } from './revenue-spread';

/** Usage events are kept whole (no raw-retention cut-over as for edge samples): slots are only aligned. */
const NO_RETENTION_LIMIT_DAYS = 1_000_000;
const TOP_CONSUMERS = 10;

interface Axis { from: Date; to: Date; start: number; stepSeconds: number; slots: number }

/**
 * Publisher analytics of published APIs: calls, errors and latency from usage events; revenue
 * from invoice lines (and, across listings, invoice totals with the platform fee and net).
 * Refused calls (401/402/403/429 at the edge) are not usage events, so they are not counted.
 */
@Injectable()
export class AnalyticsService {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(AnalyticsRepository) private readonly repository: AnalyticsRepository,
  ) {}

  async listingAnalytics(scope: TenantScope, listingSlug: string, query: ApiAnalyticsQuery, now = new Date()): Promise<ApiAnalyticsDto> {
    const listing = await this.repository.listingBySlug(scope, listingSlug);
    if (!listing) throw new AppError('NOT_FOUND', 'No such API.');
    const axis = this.axis(query, now);
    const range = { from: axis.from, to: axis.to };
    const [slots, totals, consumerCalls, byPlan, byConsumer] = await Promise.all([
      this.repository.slots(scope, [listing.id], axis),
      this.repository.totals(scope, listing.id, range),
      this.repository.consumerCalls(scope, listing.id, range),
      this.repository.lineRevenue(scope, listing.id, range, 'plan'),
      this.repository.lineRevenue(scope, listing.id, range, 'consumer'),
    ]);
    const series = { calls: zeros(axis), testCalls: zeros(axis), errors: zeros(axis), p50Ms: nulls(axis), p95Ms: nulls(axis) };
    for (const row of inAxis(slots, axis)) {
      const i = Number(row.slot);
      series.calls[i] = Number(row.calls);
      series.testCalls[i] = Number(row.testCalls);
      series.errors[i] = Number(row.errors);
      series.p50Ms[i] = row.p50;
      series.p95Ms[i] = row.p95;
    }
    const consumers = new Map<string, { organizationId: string; organizationName: string; calls: number; amountMicros: number }>();
    for (const c of consumerCalls) consumers.set(c.organizationId, { organizationId: c.organizationId, organizationName: c.name, calls: Number(c.calls), amountMicros: 0 });
    for (const r of byConsumer) {
      const entry = consumers.get(r.key) ?? { organizationId: r.key, organizationName: r.name, calls: 0, amountMicros: 0 };
      entry.amountMicros = Number(r.amount);
      consumers.set(r.key, entry);
    }
    const revenueByConsumer = [...consumers.values()].sort((a, b) => b.amountMicros - a.amountMicros || b.calls - a.calls);
    return {
      ...axisDto(axis),
      series,
      totals: {
        calls: Number(totals.calls),
        testCalls: Number(totals.testCalls),
        errors: Number(totals.errors),
        units: Number(totals.units ?? 0n),
        p50Ms: totals.p50,
        p95Ms: totals.p95,
        revenueMicros: byPlan.reduce((sum, r) => sum + Number(r.amount), 0),
      },
      revenueByPlan: byPlan.map((r) => ({ planId: r.key, planName: r.name, amountMicros: Number(r.amount) })),
      revenueByConsumer,
      topConsumers: [...revenueByConsumer].sort((a, b) => b.calls - a.calls).slice(0, TOP_CONSUMERS),
    };
  }

  async organizationRevenue(scope: TenantScope, query: RevenueQuery, now = new Date()): Promise<OrganizationRevenueDto> {
    const range = resolveRange(query, now);
    const bps = this.config.MARKETPLACE_PLATFORM_FEE_BPS;
    const [listings, rows] = await Promise.all([this.repository.listings(scope), this.repository.listingRevenue(scope, range)]);
    const zero = { draftMicros: 0, invoicedMicros: 0, paidMicros: 0, creditNotesMicros: 0, feeMicros: 0, netMicros: 0 };
    const totals = { ...zero };
    const perListing = listings.map((l) => {
      const row = rows.find((r) => r.listingId === l.id);
      const statement = statementAmounts(row?.paid ?? 0n, row?.credits ?? 0n, bps);
      const entry = {
        listingId: l.id,
        slug: l.slug,
        name: l.name,
        draftMicros: Number(row?.draft ?? 0n),
        invoicedMicros: Number(row?.invoiced ?? 0n),
        paidMicros: Number(statement.grossMicros),
        creditNotesMicros: Number(statement.creditNotesMicros),
        feeMicros: Number(statement.feeMicros),
        netMicros: Number(statement.netMicros),
      };
      for (const k of Object.keys(zero) as (keyof typeof zero)[]) totals[k] += entry[k];
      return entry;
    });
    return { from: range.from.toISOString(), to: range.to.toISOString(), platformFeeBps: bps, listings: perListing, totals };
  }

  /** The observability page's revenue panel: every listing published from the environment. */
  async environmentRevenue(scope: TenantScope, environmentId: string, query: ApiAnalyticsQuery, now = new Date()): Promise<EnvironmentApiRevenueDto> {
    const axis = this.axis(query, now);
    const listings = await this.repository.listings(scope, environmentId);
    const ids = listings.map((l) => l.id);
    const [slots, lines] = ids.length
      ? await Promise.all([this.repository.slots(scope, ids, axis), this.repository.spreadLines(scope, ids, { from: axis.from, to: axis.to })])
      : [[], []];
    const calls = zeros(axis);
    for (const row of inAxis(slots, axis)) calls[Number(row.slot)] = Number(row.calls);
    const revenue = zeros(axis);
    const plans = new Map<string, { planId: string; planName: string; revenueMicros: number[] }>();
    for (const line of lines) {
      const plan = plans.get(line.planId) ?? { planId: line.planId, planName: line.planName, revenueMicros: zeros(axis) };
      plans.set(line.planId, plan);
      const window = { start: line.windowStart, end: line.windowEnd };
      spreadOverSlots(plan.revenueMicros, Number(line.amount), window, axis);
      spreadOverSlots(revenue, Number(line.amount), window, axis);
    }
    return { ...axisDto(axis), calls, revenueMicros: revenue, plans: [...plans.values()].sort((a, b) => a.planName.localeCompare(b.planName)) };
  }

  private axis(query: ApiAnalyticsQuery, now: Date): Axis {
    const { from, to } = resolveRange(query, now);
    const plan = planPoints({ from, to, points: query.points, now, rawRetentionDays: NO_RETENTION_LIMIT_DAYS });
    return { from, to, start: plan.start, stepSeconds: plan.stepSeconds, slots: plan.slots };
  }
}

const zeros = (axis: Axis) => new Array<number>(axis.slots).fill(0);
const nulls = (axis: Axis) => new Array<number | null>(axis.slots).fill(null);
const inAxis = (rows: SlotRow[], axis: Axis) => rows.filter((r) => r.slot >= 0n && r.slot < BigInt(axis.slots));
const axisDto = (axis: Axis) => ({
  from: axis.from.toISOString(),
  to: axis.to.toISOString(),
  stepSeconds: axis.stepSeconds,
  time: Array.from({ length: axis.slots }, (_, i) => axis.start + i * axis.stepSeconds),
});
