import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '@slipway/config';
import { cutLine } from '@slipway/docker';
import { SupersededAttemptError } from '@slipway/errors';
import type { BuildsRepository } from './builds.repository';
import { byteSize, count } from './byte-size';

/** Where live build output goes besides the database (the push and the console follow it). */
export interface BuildLogListener {
  (buildId: string, line: { seq: number; line: string }): void;
}

export type BuildLogLimits = Pick<Config, 'BUILD_LOG_MAX_BYTES' | 'BUILD_LOG_LINE_MAX_CHARS'>;

const FLUSH_EVERY_MS = 250;
const FLUSH_AT_LINES = 100;
/** Lines per INSERT: a fast writer's backlog goes in several statements, not one huge one. */
const MAX_BATCH_LINES = 1000;
/** A batch the database did not take is sent again after this long (with the lines since). */
const RETRY_MS = 500;
/** The final flush keeps trying this long (a PostgreSQL restart) before it gives up. */
const FINAL_FLUSH_MS = 15_000;
/** Room kept for the note that says what was dropped. */
const NOTE_BYTES = 1024;

/**
 * Collects a build's output: every line is redacted first, then cut to
 * BUILD_LOG_LINE_MAX_CHARS (so a secret is redacted whole before any cut), handed to the live
 * listener and written to the database in batches (one INSERT per 250 ms or 100 lines).
 *
 * At most BUILD_LOG_MAX_BYTES are stored. Past the budget the build goes on, but its lines are
 * held in a small ring (the last ones win), and `flush()` at the end of the build stores one
 * note saying how much was dropped, then those last lines, so the failure and its cause stay
 * visible. Work per line is linear in its length, whatever a build prints.
 *
 * Writing never throws and never leaves a promise rejected: a batch the database does not take
 * (PostgreSQL restarting, a killed connection) is kept, in order, and sent again with the next
 * one; only `flush()` reports lines it could not store in the end. Lines are stored for one
 * attempt at the build: once a newer attempt owns it, nothing more is stored and
 * `onSuperseded` is called (the build stops).
 */
export class BuildLog {
  private seq = 0;
  private pending: { seq: number; line: string }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  /** Why the last batch could not be stored (it is in `pending` again), until one is. */
  private failure: unknown = null;
  private superseded = false;
  private storedBytes = 0;
  private readonly headBytes: number;
  private readonly tailBytes: number;
  /** Lines past the budget, oldest first from `tailStart`; only the last `tailBytes` are kept. */
  private tail: Array<{ line: string; bytes: number }> = [];
  private tailStart = 0;
  private tailHeld = 0;
  private droppedLines = 0;
  private droppedBytes = 0;

  constructor(
    private readonly build: { id: string; attempt: number },
    private readonly repository: Pick<BuildsRepository, 'appendLogLines'>,
    private readonly redact: (line: string) => string,
    private readonly listener: BuildLogListener = () => undefined,
    private readonly limits: BuildLogLimits,
    private readonly onSuperseded: (err: SupersededAttemptError) => void = () => undefined,
  ) {
    this.tailBytes = Math.min(64 * 1024, Math.floor(limits.BUILD_LOG_MAX_BYTES / 8));
    this.headBytes = limits.BUILD_LOG_MAX_BYTES - this.tailBytes - NOTE_BYTES;
  }

  write(text: string): void {
    for (const raw of text.split('\n')) {
      const line = this.prepare(raw);
      if (line) this.keep(line);
    }
    // While the database is away the retry timer sends everything; no extra attempts meanwhile.
    if (this.failure) return;
    if (this.pending.length >= FLUSH_AT_LINES) void this.persist();
    else if (this.pending.length) this.timer ??= setTimeout(() => void this.persist(), FLUSH_EVERY_MS);
  }

  /**
   * Stores everything so far; once the budget was exceeded, that is the note on what was
   * dropped and the last lines. Call it when the build ends; resolves when all is stored (or
   * when a newer attempt owns the build), rejects when the database did not take the lines
   * for FINAL_FLUSH_MS.
   */
  async flush(): Promise<void> {
    if (this.droppedLines) {
      this.store(
        `-----> ${count(this.droppedLines)} lines (${byteSize(this.droppedBytes)}) of build output were dropped here: a build log keeps at most ${byteSize(this.limits.BUILD_LOG_MAX_BYTES)} (BUILD_LOG_MAX_BYTES=${this.limits.BUILD_LOG_MAX_BYTES}). The last lines follow.`,
      );
    }
    for (let i = this.tailStart; i < this.tail.length; i++) this.store(this.tail[i]!.line);
    this.tail = [];
    this.tailStart = 0;
    this.tailHeld = 0;
    this.droppedLines = 0;
    this.droppedBytes = 0;
    const deadline = Date.now() + FINAL_FLUSH_MS;
    for (;;) {
      await this.persist();
      if (this.superseded || !this.pending.length) return;
      if (Date.now() > deadline) {
        if (this.timer) clearTimeout(this.timer);
        this.pending = [];
        throw this.failure;
      }
      await sleep(RETRY_MS);
    }
  }

  /** Redacted, then cut. A huge line is first trimmed to twice the limit so redaction stays cheap. */
  private prepare(raw: string): string {
    const max = this.limits.BUILD_LOG_LINE_MAX_CHARS;
    const room = 2 * max + NOTE_BYTES;
    const head = raw.length > room ? raw.slice(0, room) : raw;
    const line = this.redact(head.replace(/\r$/, '').trimEnd());
    return line ? cutLine(line, raw.length - head.length, max) : '';
  }

  private keep(line: string): void {
    const bytes = Buffer.byteLength(line) + 1;
    if (!this.tailHeld && !this.droppedLines && this.storedBytes + bytes <= this.headBytes) {
      this.store(line);
      return;
    }
    this.tail.push({ line, bytes });
    this.tailHeld += bytes;
    while (this.tailHeld > this.tailBytes && this.tailStart < this.tail.length) {
      const oldest = this.tail[this.tailStart++]!;
      this.tailHeld -= oldest.bytes;
      this.droppedLines += 1;
      this.droppedBytes += oldest.bytes;
    }
    if (this.tailStart > 1024 && this.tailStart * 2 > this.tail.length) {
      this.tail = this.tail.slice(this.tailStart);
      this.tailStart = 0;
    }
  }

  private store(line: string): void {
    const entry = { seq: this.seq++, line };
    this.storedBytes += Buffer.byteLength(line) + 1;
    if (this.superseded) return;
    this.pending.push(entry);
    try {
      this.listener(this.build.id, entry);
    } catch {
      // A broken live listener (a closed push) must not stop the build.
    }
  }

  /**
   * Sends what is pending once the sends before it are done, so lines reach the database in
   * order even when one batch has to be sent again. The returned promise never rejects.
   */
  private persist(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.flushing = this.flushing.then(() => this.sendPending());
    return this.flushing;
  }

  private async sendPending(): Promise<void> {
    while (this.pending.length && !this.superseded) {
      const batch = this.pending.splice(0, MAX_BATCH_LINES);
      try {
        await this.repository.appendLogLines(this.build.id, this.build.attempt, batch);
        this.failure = null;
      } catch (err) {
        if (err instanceof SupersededAttemptError) {
          this.superseded = true;
          this.pending = [];
          try {
            this.onSuperseded(err);
          } catch {
            // Stopping the build is the listener's business; a failure there must not reject here.
          }
          return;
        }
        // The database is away: keep the lines, ahead of those written since, and try again soon.
        this.failure = err;
        this.pending = [...batch, ...this.pending];
        this.timer ??= setTimeout(() => void this.persist(), RETRY_MS);
        return;
      }
    }
  }
}
