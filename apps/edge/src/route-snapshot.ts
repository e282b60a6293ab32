import { mkdirSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EdgeRouteTable } from '@slipway/contracts';

/**
 * The last good table on disk (`<DATA_DIR>/edge/routes.json`), so an edge restarted while
 * Redis is down still serves. Writes go to a temporary file then rename (atomic on POSIX);
 * they are serialized and only the newest pending table is written.
 */
export class RouteSnapshot {
  readonly file: string;
  private writing: Promise<void> | undefined;
  private pending: EdgeRouteTable | undefined;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'edge', 'routes.json');
  }

  /** The raw JSON of the last snapshot, or undefined when there is none (validate before use). */
  read(): unknown {
    try {
      return JSON.parse(readFileSync(this.file, 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /** Queue a write; resolves once this table (or a newer one) is on disk. */
  save(table: EdgeRouteTable): Promise<void> {
    this.pending = table;
    this.writing ??= this.drain().finally(() => (this.writing = undefined));
    return this.writing;
  }

  private async drain(): Promise<void> {
    mkdirSync(path.dirname(this.file), { recursive: true });
    while (this.pending) {
      const table = this.pending;
      this.pending = undefined;
      const tmp = `${this.file}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify(table), { mode: 0o600 });
      await rename(tmp, this.file);
    }
  }
}
