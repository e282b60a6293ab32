import type { PrismaService } from '@slipway/db';

const DAY_MS = 86_400_000;

/** The UTC midnight of the day `at` falls in. */
export const utcDay = (at: Date): Date => new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);

/** `AppTrafficSample_p20261207`: the partition of `table` for the UTC day `day` falls in. */
export const dayPartitionName = (table: string, day: Date): string => `${table}_p${utcDay(day).toISOString().slice(0, 10).replaceAll('-', '')}`;

/**
 * A table PARTITION BY RANGE on a timestamp, one partition per UTC day named `<table>_pYYYYMMDD`
 * (the traffic samples, the replica readings, the log lines). Retention drops whole days: no
 * row-by-row delete, no vacuum debt. The parent is declared in its migration.
 */
export class DayPartitionedTable {
  /** Days this process knows to have a partition (refreshed by `maintain`), so storing checks no catalog. */
  private readonly known = new Set<number>();

  constructor(
    private readonly prisma: PrismaService,
    readonly table: string,
  ) {}

  partitionName(day: Date): string {
    return dayPartitionName(this.table, day);
  }

  /** The UTC day of a partition's name, or undefined for a table that is not one of this table's days. */
  partitionDay(name: string): Date | undefined {
    const m = /^(.+)_p(\d{4})(\d{2})(\d{2})$/.exec(name);
    return m && m[1] === this.table ? new Date(Date.UTC(Number(m[2]), Number(m[3]) - 1, Number(m[4]))) : undefined;
  }

  /** The UTC days that have a partition, oldest first. */
  async days(): Promise<Date[]> {
    const rows = await this.prisma.$queryRawUnsafe<{ name: string }[]>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
       WHERE p.relname = $1 AND p.relnamespace = to_regnamespace(current_schema())::oid`,
      this.table,
    );
    return rows
      .map((r) => this.partitionDay(r.name))
      .filter((d): d is Date => d !== undefined)
      .sort((a, b) => a.getTime() - b.getTime());
  }

  /** Creates the partition of the day `day` falls in unless it exists; safe when two workers race. */
  async create(day: Date): Promise<void> {
    const from = utcDay(day);
    const to = new Date(from.getTime() + DAY_MS);
    try {
      await this.prisma.$executeRawUnsafe(
        `CREATE TABLE IF NOT EXISTS "${this.partitionName(from)}" PARTITION OF "${this.table}" FOR VALUES FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`,
      );
    } catch (err) {
      // 42P07 (duplicate table) / 23505 (catalog unique): another worker created it between our check and our create.
      if (!/already exists|duplicate key/i.test(err instanceof Error ? err.message : String(err))) throw err;
    }
  }

  /** Drops the partition of the day `day` falls in, as a whole. */
  async drop(day: Date): Promise<void> {
    await this.prisma.$executeRawUnsafe(`DROP TABLE IF EXISTS "${this.partitionName(day)}"`);
  }

  /** True once this process has read or made the partitions (`maintain` has run). */
  get ready(): boolean {
    return this.known.size > 0;
  }

  /** Creates the partitions of the days these instants fall in that this process does not know of yet. */
  async ensure(instants: Iterable<Date>): Promise<void> {
    for (const day of new Set([...instants].map((at) => utcDay(at).getTime()))) {
      if (this.known.has(day)) continue;
      await this.create(new Date(day));
      this.known.add(day);
    }
  }

  /**
   * Creates today's partition and the next `daysAhead` days', and drops the days that ended
   * before `cutoff` (every row of them is past the retention). Returns the days created and dropped.
   */
  async maintain(now: Date, cutoff: Date, daysAhead = 2): Promise<{ created: Date[]; dropped: Date[] }> {
    const existing = await this.days();
    this.known.clear();
    for (const day of existing) this.known.add(day.getTime());
    const created: Date[] = [];
    const today = utcDay(now).getTime();
    for (let d = 0; d <= daysAhead; d++) {
      const day = today + d * DAY_MS;
      if (this.known.has(day)) continue;
      await this.create(new Date(day));
      this.known.add(day);
      created.push(new Date(day));
    }
    const dropped: Date[] = [];
    for (const day of existing) {
      if (day.getTime() + DAY_MS > cutoff.getTime()) continue; // some of its rows are still within the retention
      await this.drop(day);
      this.known.delete(day.getTime());
      dropped.push(day);
    }
    return { created, dropped };
  }
}
