import { describe, expect, it } from 'vitest';
import { streamBuildLog, type BuildLogSource, type EventSink } from './builds.controller';

function sink() {
  const chunks: string[] = [];
  const out: EventSink & { headers?: Record<string, string>; text: () => string } = {
    writeHead: (_status, headers) => (out.headers = headers),
    write: (chunk) => (chunks.push(chunk), true),
    once: () => out,
    text: () => chunks.join(''),
  };
  return out;
}

/** A build that writes one line per poll and finishes after `total` lines. */
function fakeBuild(total: number): BuildLogSource {
  let written = 0;
  return {
    state: async () => ({ status: written >= total ? 'SUCCEEDED' : 'RUNNING', failureReason: null }),
    lines: async (after) => {
      if (written < total) written++;
      return Array.from({ length: written }, (_, i) => ({ seq: i, line: `line ${i}` })).filter((l) => l.seq > after);
    },
  };
}

describe('streamBuildLog', () => {
  it('sends each line once, in order, then one end event with the final status', async () => {
    const out = sink();
    await streamBuildLog(out, fakeBuild(3), { afterSeq: -1, signal: new AbortController().signal, pollMs: 1 });
    expect(out.headers?.['content-type']).toContain('text/event-stream');
    expect(out.headers?.['cache-control']).toContain('no-transform');
    const text = out.text();
    expect(text.match(/event: line/g)).toHaveLength(3);
    expect(text).toContain('id: 2\nevent: line\ndata: {"seq":2,"line":"line 2"}\n\n');
    expect(text.indexOf('"line 2"')).toBeLessThan(text.indexOf('event: end'));
    expect(text.endsWith('event: end\ndata: {"status":"SUCCEEDED","failureReason":null}\n\n')).toBe(true);
  });

  it('resumes after Last-Event-ID and keeps an idle stream alive with comments', async () => {
    const out = sink();
    const stop = new AbortController();
    let polls = 0;
    const idle: BuildLogSource = {
      state: async () => ({ status: 'RUNNING', failureReason: null }),
      lines: async (after) => {
        if (++polls > 4) stop.abort();
        return [0, 1, 2].filter((s) => s > after).map((seq) => ({ seq, line: `l${seq}` }));
      },
    };
    await streamBuildLog(out, idle, { afterSeq: 1, signal: stop.signal, pollMs: 1, keepAliveMs: 0 });
    const text = out.text();
    expect(text).not.toContain('"l1"');
    expect(text.match(/event: line/g)).toHaveLength(1);
    expect(text).toContain(': keep-alive');
    expect(text).not.toContain('event: end');
  });
});
