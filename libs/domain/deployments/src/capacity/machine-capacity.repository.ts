import { Injectable } from '@nestjs/common';
import { PrismaService } from '@slipway/db';

/**
 * What running replicas reserve on the machine, every organization together: the machine is
 * shared, so this is deliberately not tenant-scoped and returns only totals (nothing that names
 * a tenant). A replica reserves its release's memory from the moment its row exists (STARTING)
 * until it is stopped.
 */
@Injectable()
export class MachineCapacityRepository {
  constructor(private readonly prisma: PrismaService) {}

  async reservedByReplicas(): Promise<{ replicas: number; memoryMb: number }> {
    const [row] = await this.prisma.$queryRaw<{ replicas: bigint; memory_mb: bigint | null }[]>`
      SELECT count(*) AS replicas, sum(COALESCE((rel."runtime"->>'memoryMb')::int, 512)) AS memory_mb
      FROM "Replica" r JOIN "Release" rel ON rel.id = r."releaseId"
      WHERE r.state IN ('STARTING', 'HEALTHY', 'CRASHED', 'DRAINING')`;
    return { replicas: Number(row?.replicas ?? 0), memoryMb: Number(row?.memory_mb ?? 0) };
  }
}
