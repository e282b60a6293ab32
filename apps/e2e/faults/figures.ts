import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

/** Reads the harness's database for what only it can tell: work that never ended, usage never recorded. */
export interface DatabaseProbe {
  has(sql: string, params: unknown[]): Promise<boolean>;
  finalStatuses(projectId: string, message: string): Promise<{ build?: string; deployment?: string }>;
  /** Builds and deployments of the project not in a final state, and successful calls with no usage record (after 20 s of grace). */
  workLost(projectId: string, usageIds: string[]): Promise<{ builds: number; deployments: number; usageMissing: number }>;
  close(): Promise<void>;
}

const FINAL = `('SUCCEEDED', 'FAILED', 'CANCELLED')`;

export function databaseProbe(url: string): DatabaseProbe {
  // A connection per query: PostgreSQL itself is one of the faults.
  const query = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    await client.connect();
    try {
      return (await client.query<T>(sql, params)).rows;
    } finally {
      await client.end();
    }
  };
  return {
    has: async (sql, params) => (await query(sql, params)).length > 0,
    async finalStatuses(projectId, message) {
      const [build] = await query<{ status: string }>(`SELECT status FROM "Build" WHERE "projectId" = $1 AND message = $2`, [
        projectId,
        message,
      ]);
      const [deployment] = await query<{ status: string }>(
        `SELECT d.status FROM "Deployment" d JOIN "Release" r ON r.id = d."releaseId" WHERE d."projectId" = $1 AND r.message = $2`,
        [projectId, message],
      );
      return { build: build?.status, deployment: deployment?.status };
    },
    async workLost(projectId, usageIds) {
      const open = async () => {
        const [b] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM "Build" WHERE "projectId" = $1 AND status NOT IN ${FINAL}`, [
          projectId,
        ]);
        const [d] = await query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "Deployment" WHERE "projectId" = $1 AND status NOT IN ${FINAL}`,
          [projectId],
        );
        const recorded = await query<{ id: string }>(`SELECT id FROM "GatewayRequest" WHERE id = ANY($1::text[])`, [usageIds]);
        return { builds: b!.n, deployments: d!.n, usageMissing: usageIds.length - recorded.length };
      };
      // Usage events reach the database through the worker's stream consumer: moments later.
      const deadline = Date.now() + 20_000;
      for (;;) {
        const lost = await open().catch(() => null);
        if (lost && lost.builds + lost.deployments + lost.usageMissing === 0) return lost;
        if (Date.now() > deadline) return lost ?? { builds: -1, deployments: -1, usageMissing: -1 };
        await sleep(500);
      }
    },
    close: async () => undefined,
  };
}

/**
 * On the machine's engine (no engine of the harness's own), removes the containers, network and
 * images of the harness's project, and only those.
 */
export async function cleanUpDocker(harness: { dockerEnv: NodeJS.ProcessEnv; databaseUrl: string }, projectId: string): Promise<void> {
  const docker = (...args: string[]) => {
    try {
      return execFileSync('docker', args, { env: harness.dockerEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      return '';
    }
  };
  const ids = docker('ps', '-aq', '--filter', `label=slipway.project=${projectId}`).split('\n').filter(Boolean);
  if (ids.length) docker('rm', '-f', '-v', ...ids);
  docker('network', 'rm', `slipway-${projectId}`);
  const client = new pg.Client({ connectionString: harness.databaseUrl });
  const images = await client
    .connect()
    .then(() => client.query<{ imageId: string }>(`SELECT DISTINCT "imageId" FROM "Release" WHERE "projectId" = $1`, [projectId]))
    .then((r) => r.rows.map((row) => row.imageId))
    .catch(() => [] as string[])
    .finally(() => client.end().catch(() => undefined));
  if (images.length) docker('rmi', '-f', ...images);
}
