import { z } from 'zod';

/**
 * Every background job, declared once: queue name, payload schema and retry policy. The job
 * id names the Postgres row the job works on and the row's attempt (`rowJobId`), so enqueuing
 * the same attempt twice is harmless and a lost job can be queued again from the row alone.
 */
export const JOBS = {
  build: {
    queue: 'slipway-builds',
    payload: z.object({
      organizationId: z.string(),
      buildId: z.string(),
      /** Quarantine directories of a push still being received (pre-receive), if any. */
      objects: z.record(z.string(), z.string()).default({}),
    }),
    /**
     * A failed build is a result (the user's to read and fix), never an error, so it is never
     * retried. A thrown error is the platform's (PostgreSQL or Redis away while the outcome was
     * written): the job runs again and the build starts over.
     */
    attempts: 3,
  },
  deploy: {
    queue: 'slipway-deployments',
    payload: z.object({ organizationId: z.string(), deploymentId: z.string() }),
    /** Retried while another deployment of the environment runs; a re-run resumes a crashed one. */
    attempts: 30,
  },
  /** A deleted project's containers, gateway relay, network, release images and observability rows go (the id of the deleted row). */
  teardown: {
    queue: 'slipway-teardowns',
    payload: z.object({ organizationId: z.string(), projectId: z.string() }),
    /** Enqueued inside the deleting transaction: retried until it has committed, or while the engine is away. */
    attempts: 8,
  },
} as const;

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = z.input<(typeof JOBS)[N]['payload']>;

/**
 * The job id of one attempt at a row (builds and deployments count attempts in their `attempt`
 * column). A job id names one attempt: BullMQ ignores a job whose id it still holds (a failed or
 * completed job is kept for a while), so work queued again after a lost or failed job needs an
 * attempt of its own. Attempt 0 is the bare row id; BullMQ refuses `:` in custom ids.
 */
export const rowJobId = (rowId: string, attempt: number): string => (attempt === 0 ? rowId : `${rowId}.${attempt}`);

/**
 * Periodic work, run by BullMQ job schedulers (`JobSchedules`): each worker process declares
 * the schedule at start, BullMQ makes one job per interval whatever the number of workers, and
 * a queue runs one job at a time across all of them, so a slow pass never overlaps the next.
 */
export const SCHEDULED_JOBS = {
  /** Desired state against the engine: crashed replicas, orphans, stuck and lost work, relays. */
  reconcile: { queue: 'slipway-reconcile', everyMs: 5_000 },
  /** Expired sessions are deleted (expiry is also checked on every request). */
  'session-cleanup': { queue: 'slipway-session-cleanup', everyMs: 10 * 60_000 },
  /** Pending custom domains are looked up again, expired ones removed (interval: DOMAIN_RECHECK_SECONDS). */
  'domain-recheck': { queue: 'slipway-domain-recheck', everyMs: 60_000 },
  /** The edge's per-release samples (Redis stream) into PostgreSQL with their rollups; partitions ahead and retention hourly. */
  'traffic-collect': { queue: 'slipway-traffic-collect', everyMs: 5_000 },
  /** App traffic, gateway spans and replica logs to the installation's OTLP collector (interval: OTLP_EXPORT_SECONDS; only while OTLP_ENDPOINT is set). */
  'otlp-export': { queue: 'slipway-otlp-export', everyMs: 10_000 },
  /** Releases in their watch window judged against the previous release; automatic rollback of faulty ones where opted in. */
  'release-verdicts': { queue: 'slipway-release-verdicts', everyMs: 10_000 },
  /** Docker stats and events of every running replica into PostgreSQL (interval: RESOURCES_SAMPLE_SECONDS); partitions ahead and retention hourly. */
  'resources-sample': { queue: 'slipway-resources-sample', everyMs: 5_000 },
  /** New stdout/stderr lines of every replica container into PostgreSQL (interval: LOGS_COLLECT_SECONDS); partitions ahead and retention hourly. */
  'logs-collect': { queue: 'slipway-logs-collect', everyMs: 2_000 },
  /** Release images beyond the rollback window (RELEASE_IMAGES_KEEP per environment) removed, the build cache trimmed to BUILD_CACHE_MAX_MB. */
  'images-prune': { queue: 'slipway-images-prune', everyMs: 60 * 60_000 },
  /** Published APIs: finalized invoices handed to the payment provider; subscriptions with an invoice unpaid past MARKETPLACE_PAYMENT_GRACE_DAYS set PAST_DUE. */
  'api-payments': { queue: 'slipway-api-payments', everyMs: 60_000 },
  /** Published APIs: a payout statement per publisher for each ended calendar month (UTC), with its platform-fee ledger entry. */
  'api-payouts': { queue: 'slipway-api-payouts', everyMs: 60 * 60_000 },
  /** The edge's marketplace records (consumer keys, subscriptions) rewritten from PostgreSQL: missing or different ones written, unknown ones deleted, so a lost write heals. */
  'marketplace-edge-sync': { queue: 'slipway-marketplace-edge-sync', everyMs: 60_000 },
  /** Published APIs: ended subscription periods rolled, drafts recomputed from usage events, drafts past their grace finalized, edge balances reset (interval: MARKETPLACE_BILLING_PERIODS_SECONDS). */
  'api-billing-periods': { queue: 'slipway-api-billing-periods', everyMs: 300_000 },
} as const;

export type ScheduledJobName = keyof typeof SCHEDULED_JOBS;
