import type { BuildsRepository } from './builds.repository';

/** Where live build output goes besides the database (the push and the console follow it). */
export interface BuildLogListener {
  (buildId: string, line: { seq: number; line: string }): void;
}

const FLUSH_EVERY_MS = 250;
const FLUSH_AT_LINES = 100;

/**
 * Collects a build's output: every line is redacted first, handed to the live listener at
 * once, and written to the database in batches (one INSERT per 250 ms or 100 lines).
 */
export class BuildLog {
  private seq = 0;
  private pending: { seq: number; line: string }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly buildId: string,
    private readonly repository: BuildsRepository,
    private readonly redact: (line: string) => string,
    private readonly listener: BuildLogListener = () => undefined,
  ) {}

  write(text: string): void {
    for (const raw of text.split(/\r?\n/)) {
      const line = this.redact(raw.trimEnd());
      if (!line) continue;
      const entry = { seq: this.seq++, line: line.slice(0, 8000) };
      this.pending.push(entry);
      this.listener(this.buildId, entry);
    }
    if (this.pending.length >= FLUSH_AT_LINES) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_EVERY_MS);
  }

  /** Writes what is pending; resolves when every line so far is stored. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = [];
    this.flushing = this.flushing.then(() => this.repository.appendLogLines(this.buildId, batch));
    return this.flushing;
  }
}
