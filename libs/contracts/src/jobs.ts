import { z } from 'zod';

/**
 * Every background job, declared once: queue name, payload schema and retry policy. The
 * job id is always the id of the Postgres row the job works on, so enqueuing twice is
 * harmless and a lost job can be re-enqueued by the reconciler from the row alone.
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
    /** A build is not retried automatically: a failure is the user's to read and fix. */
    attempts: 1,
  },
  deploy: {
    queue: 'slipway-deployments',
    payload: z.object({ organizationId: z.string(), deploymentId: z.string() }),
    /** Retried while another deployment of the environment runs; a re-run resumes a crashed one. */
    attempts: 30,
  },
  /** A deleted project's containers, gateway relay and network go (the id of the deleted row). */
  teardown: {
    queue: 'slipway-teardowns',
    payload: z.object({ organizationId: z.string(), projectId: z.string() }),
    /** Enqueued inside the deleting transaction: retried until it has committed, or while the engine is away. */
    attempts: 8,
  },
} as const;

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = z.input<(typeof JOBS)[N]['payload']>;
