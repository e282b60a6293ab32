import { Inject, Injectable } from '@nestjs/common';
import type { TenantScope } from '@slipway/contracts';
import { PrismaService } from '@slipway/db';

/**
 * The observability and model-gateway usage tables that hold a project's rows, each with its
 * primary key. They have no
 * foreign keys by design (collectors never wait on locks of the rows they describe), so a
 * deleted project's rows are removed here, by the teardown job, rather than by a cascade.
 */
export const PROJECT_DATA_TABLES = {
  AppTrafficSample: ['windowStart', 'streamId'],
  AppTrafficMinute: ['releaseId', 'bucket'],
  AppTrafficHour: ['releaseId', 'bucket'],
  AppTrafficPathMinute: ['releaseId', 'bucket', 'path'],
  AppTrafficPathHour: ['releaseId', 'bucket', 'path'],
  ReplicaResourceSample: ['sampledAt', 'replica'],
  ReplicaResourceMinute: ['replica', 'bucket'],
  ReplicaEvent: ['id'],
  AppLogLine: ['at', 'seq'],
  // The model gateway's calls and their minute rollups (written by the worker's usage consumer).
  GatewayRequest: ['id'],
  GatewayUsageMinute: ['minute', 'organizationId', 'projectId', 'environmentId', 'releaseId', 'keyId', 'model', 'provider', 'feature', 'customer'],
} as const satisfies Record<string, readonly string[]>;

export type ProjectDataTable = keyof typeof PROJECT_DATA_TABLES;

@Injectable()
export class ProjectDataRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  /**
   * Deletes at most `limit` rows of the project from one table; returns how many went. Bounded
   * so each statement holds its locks briefly, whatever the project's size. The organization
   * comes first: every table has an index that starts with it, so a batch never scans other
   * tenants' rows.
   */
  async deleteBatch(scope: TenantScope, projectId: string, table: ProjectDataTable, limit: number): Promise<number> {
    // Table and column names come from the constant above, never from input.
    const key = PROJECT_DATA_TABLES[table].map((c) => `"${c}"`).join(', ');
    return this.prisma.$executeRawUnsafe(
      `DELETE FROM "${table}" WHERE (${key}) IN (
         SELECT ${key} FROM "${table}" WHERE "organizationId" = $1 AND "projectId" = $2 LIMIT $3)`,
      scope.organizationId,
      projectId,
      limit,
    );
  }

  /** The log collector's read positions in the given containers (keyed by container, not project). */
  async deleteLogCursors(containerIds: string[]): Promise<number> {
    if (containerIds.length === 0) return 0;
    return this.prisma.$executeRaw`DELETE FROM "AppLogCursor" WHERE "containerId" = ANY(${containerIds})`;
  }
}
