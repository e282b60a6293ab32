import { describe, expect, it } from 'vitest';
import { SupersededAttemptError } from '@slipway/errors';
import { BuildLog, type BuildLogLimits } from './build-log';
import { createRedactor } from '@slipway/secrets';

const LIMITS: BuildLogLimits = { BUILD_LOG_MAX_BYTES: 64 * 1024, BUILD_LOG_LINE_MAX_CHARS: 200 };

/** A BuildLog over an in-memory store: the lines as the database would hold them. */
function logOf(limits = LIMITS, secrets: string[] = []) {
  const stored: { seq: number; line: string }[] = [];
  const live: string[] = [];
  const log = new BuildLog({ id: 'b1', attempt: 1 }, { appendLogLines: async (_id, _attempt, lines) => void stored.push(...lines) }, createRedactor(secrets), (_id, l) => live.push(l.line), limits);
  return { log, stored, live };
}

describe('BuildLog', () => {
  it('stores every line in order, redacted, and tells the live listener the same lines', async () => {
    const { log, stored, live } = logOf(LIMITS, ['hunter2-secret']);
    log.write('Step 1/2 : FROM x\r\npassword is hunter2-secret\n\n   \nlast');
    await log.flush();
    expect(stored).toEqual([
      { seq: 0, line: 'Step 1/2 : FROM x' },
      { seq: 1, line: 'password is [redacted]' },
      { seq: 2, line: 'last' },
    ]);
    expect(live).toEqual(stored.map((l) => l.line));
  });

  it('cuts a long line after redaction, saying so, and never shows part of a secret', async () => {
    const secret = 'S3CRET-' + 'x'.repeat(40);
    const { log, stored } = logOf(LIMITS, [secret]);
    // No spaces: the secret straddles where the cut falls; cut first, its start would show.
    log.write(`${'a'.repeat(90)}${secret}${'b'.repeat(300)}`);
    await log.flush();
    expect(stored).toHaveLength(1);
    const [line] = stored.map((l) => l.line);
    expect(line!.length).toBeLessThanOrEqual(200);
    expect(line).toMatch(/ … \[line cut: [\d,]+ more characters; lines are cut at 200 \(BUILD_LOG_LINE_MAX_CHARS\)\]$/);
    expect(line).not.toContain('S3CRET');
    expect(line).toContain(`${'a'.repeat(90)}[redacted]bbb`);
  });

  it('past BUILD_LOG_MAX_BYTES drops lines with one note saying how much and the setting, and keeps the last lines', async () => {
    const { log, stored } = logOf();
    for (let i = 0; i < 20_000; i++) log.write(`output line ${i}`);
    log.write('-----> Build failed: The command returned a non-zero code: 1');
    await log.flush();
    const lines = stored.map((l) => l.line);
    const bytes = lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
    expect(bytes).toBeLessThanOrEqual(64 * 1024);
    const notes = lines.filter((l) => l.includes('were dropped here'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^-----> [\d,]+ lines \([\d.]+ KiB\) of build output were dropped here: a build log keeps at most 64 KiB \(BUILD_LOG_MAX_BYTES=65536\)\. The last lines follow\.$/);
    expect(lines[0]).toBe('output line 0');
    expect(lines.at(-1)).toBe('-----> Build failed: The command returned a non-zero code: 1');
    expect(lines.at(-2)).toBe('output line 19999');
    expect(stored.map((l) => l.seq)).toEqual(lines.map((_, i) => i)); // no gaps in the sequence
    const dropped = Number(/^-----> ([\d,]+) lines/.exec(notes[0]!)![1]!.replaceAll(',', ''));
    expect(dropped + lines.length - 1).toBe(20_001); // every line is either stored or counted
  });

  it('stays linear: a 50 MB line and a million short lines finish quickly', async () => {
    const time = async (work: () => Promise<void>) => {
      const started = performance.now();
      await work();
      return performance.now() - started;
    };
    const big = logOf({ BUILD_LOG_MAX_BYTES: 8 * 1024 * 1024, BUILD_LOG_LINE_MAX_CHARS: 4096 }, ['some-secret-value']);
    const huge = await time(async () => {
      big.log.write('z'.repeat(50 * 1024 * 1024));
      await big.log.flush();
    });
    expect(big.stored).toHaveLength(1);
    expect(big.stored[0]!.line).toMatch(/line cut: 52,42\d,\d{3} more characters/);
    const many = logOf({ BUILD_LOG_MAX_BYTES: 8 * 1024 * 1024, BUILD_LOG_LINE_MAX_CHARS: 4096 }, ['some-secret-value']);
    const million = await time(async () => {
      for (let i = 0; i < 1000; i++) many.log.write(Array.from({ length: 1000 }, (_, j) => `line ${i}.${j}`).join('\n'));
      await many.log.flush();
    });
    expect(many.stored.at(-1)!.line).toBe('line 999.999');
    // Generous bounds for a loaded 2-core machine; quadratic work would take minutes.
    expect({ huge: huge < 10_000, million: million < 20_000 }).toEqual({ huge: true, million: true });
  });

  it('keeps the lines while the database is away and stores them all, in order, once it is back; nothing is left rejected', async () => {
    const stored: { seq: number; line: string }[] = [];
    let down = true;
    const attempts: number[] = [];
    const log = new BuildLog(
      { id: 'b1', attempt: 1 },
      {
        appendLogLines: async (_id, _attempt, lines) => {
          attempts.push(lines.length);
          if (down) throw new Error('Connection terminated unexpectedly');
          stored.push(...lines);
        },
      },
      createRedactor([]),
      undefined,
      LIMITS,
    );
    // An unhandled rejection would fail this test file (vitest reports it) and end a worker.
    for (let i = 0; i < 250; i++) log.write(`line ${i}`);
    await new Promise((r) => setTimeout(r, 700));
    expect(stored).toEqual([]);
    expect(attempts.length).toBeGreaterThanOrEqual(2); // sent, failed, sent again
    down = false;
    log.write('last line');
    await log.flush();
    expect(stored.map((l) => l.line)).toEqual([...Array.from({ length: 250 }, (_, i) => `line ${i}`), 'last line']);
    expect(stored.map((l) => l.seq)).toEqual(stored.map((_, i) => i));
  });

  it('stops storing, and says so once, when a newer attempt owns the build', async () => {
    const stored: string[] = [];
    const superseded: SupersededAttemptError[] = [];
    let owner = 1;
    const log = new BuildLog(
      { id: 'b1', attempt: 1 },
      {
        appendLogLines: async (id, attempt, lines) => {
          if (attempt !== owner) throw new SupersededAttemptError(`build ${id}`, attempt);
          stored.push(...lines.map((l) => l.line));
        },
      },
      createRedactor([]),
      undefined,
      LIMITS,
      (err) => superseded.push(err),
    );
    log.write('mine');
    await log.flush();
    owner = 2;
    log.write('after the newer attempt claimed it');
    await log.flush();
    log.write('and later');
    await log.flush();
    expect(stored).toEqual(['mine']);
    expect(superseded).toHaveLength(1);
  });
});
