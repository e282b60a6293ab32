import { Inject, Injectable } from '@nestjs/common';
import type { TenantScope } from '@slipway/contracts';
import { PROJECT_DATA_TABLES, ProjectDataRepository, type ProjectDataTable } from './project-data.repository';

/** Rows per DELETE: small enough to keep each statement's locks and WAL short. */
export const PURGE_BATCH_ROWS = 5_000;

export interface ProjectDataPurged {
  /** Rows removed per table (tables with none are left out). */
  rows: Partial<Record<ProjectDataTable, number>>;
  logCursors: number;
}

/**
 * Removes a deleted project's rows from the observability tables (app traffic samples and
 * rollups, top paths, replica resource samples, rollups and events, log lines, the model
 * gateway's request rows and minute rollups, and the log cursors of its containers), in bounded
 * batches. Run by the `teardown` job after the project's
 * row is gone, so no collector writes new rows for it (a late sample of the last seconds is
 * caught by the job's next run or by retention). Release verdicts go with their release (a
 * foreign key). Idempotent.
 */
@Injectable()
export class ProjectDataPurge {
  constructor(@Inject(ProjectDataRepository) private readonly repository: ProjectDataRepository) {}

  async execute(scope: TenantScope, projectId: string, containerIds: string[], batchRows = PURGE_BATCH_ROWS): Promise<ProjectDataPurged> {
    const rows: ProjectDataPurged['rows'] = {};
    for (const table of Object.keys(PROJECT_DATA_TABLES) as ProjectDataTable[]) {
      let total = 0;
      for (;;) {
        const removed = await this.repository.deleteBatch(scope, projectId, table, batchRows);
        total += removed;
        if (removed < batchRows) break;
      }
      if (total > 0) rows[table] = total;
    }
    return { rows, logCursors: await this.repository.deleteLogCursors(containerIds) };
  }
}
