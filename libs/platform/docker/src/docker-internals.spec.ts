import { describe, expect, it } from 'vitest';
import { loadConfig } from '@slipway/config';
import { BuildStreamDecoder, cutLine, demuxLogLines, parseDockerHost } from './docker-internals';
import { DockerEngine } from './docker-engine';
import { DockerUnavailableError } from './docker.errors';

const frame = (type: 1 | 2, text: string): Buffer => {
  const body = Buffer.from(text);
  const header = Buffer.alloc(8);
  header.writeUInt8(type, 0);
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
};

describe('parseDockerHost', () => {
  it('uses the default socket when DOCKER_HOST is unset, and never the ambient env', () => {
    expect(parseDockerHost(undefined).modem).toEqual({ socketPath: '/var/run/docker.sock', host: undefined, port: undefined });
    expect(parseDockerHost('unix:///run/user/1/docker.sock').modem.socketPath).toBe('/run/user/1/docker.sock');
  });
  it('reads tcp and https addresses', () => {
    expect(parseDockerHost('tcp://10.0.0.5:2375').modem).toEqual({
      socketPath: undefined,
      host: '10.0.0.5',
      port: '2375',
      protocol: 'http',
    });
    expect(parseDockerHost('tcp://docker:2376').modem.protocol).toBe('https');
  });
  it('rejects what it cannot use, saying what to write', () => {
    expect(() => parseDockerHost('ssh://me@host')).toThrow(/unix:\/\/\/path\/to\/docker.sock or tcp:\/\/host:port/);
  });
});

describe('BuildStreamDecoder', () => {
  it('turns arbitrarily chunked JSON messages into lines, the error and the image id', () => {
    const lines: string[] = [];
    const d = new BuildStreamDecoder((l) => lines.push(l), { maxLineChars: 4096 });
    const body =
      '{"stream":"Step 1/2 : FROM x\\n"}\r\n{"stream":" ---\\u003e abc\\n"}\r\n{"stream":"partial "}\r\n{"stream":"line\\n\\n"}\r\n' +
      '{"status":"Downloading","id":"l1","progress":"[=>  ]"}\r\n{"aux":{"ID":"sha256:feed"}}\r\n' +
      '{"errorDetail":{"code":1,"message":"The command \'/bin/sh -c exit 3\' returned a non-zero code: 3"},"error":"x"}\r\n';
    for (let i = 0; i < body.length; i += 7) d.push(body.slice(i, i + 7));
    d.end();
    expect(lines).toEqual([
      'Step 1/2 : FROM x',
      ' ---> abc',
      'partial line',
      'l1 Downloading [=>  ]',
      "The command '/bin/sh -c exit 3' returned a non-zero code: 3",
    ]);
    expect(d.imageId).toBe('sha256:feed');
    expect(d.error).toBe("The command '/bin/sh -c exit 3' returned a non-zero code: 3");
  });
  it('flushes a last line without newline at the end', () => {
    const lines: string[] = [];
    const d = new BuildStreamDecoder((l) => lines.push(l), { maxLineChars: 4096 });
    d.push('{"stream":"no newline"}');
    d.end();
    expect(lines).toEqual(['no newline']);
  });

  it('announces step containers from the engine\'s own message, and decodes UTF-8 split between chunks', () => {
    const ids: string[] = [];
    const lines: string[] = [];
    const d = new BuildStreamDecoder((l) => lines.push(l), { maxLineChars: 4096, onStepContainer: (id) => ids.push(id) });
    const body = Buffer.from('{"stream":"Step 2/2 : RUN echo é\\n"}\n{"stream":" ---\\u003e Running in 0123456789ab\\n"}\n{"stream":"héllo\\n"}\n');
    for (let i = 0; i < body.length; i += 3) d.push(body.subarray(i, i + 3));
    d.end();
    expect(ids).toEqual(['0123456789ab']);
    expect(lines).toEqual(['Step 2/2 : RUN echo é', ' ---> Running in 0123456789ab', 'héllo']);
  });

  it('drops terminal codes: the colour the engine wraps stderr in, and control characters', () => {
    const lines: string[] = [];
    const d = new BuildStreamDecoder((l) => lines.push(l), { maxLineChars: 4096 });
    d.push('{"stream":"\\u001b[91mnc: refused\\n\\u001b[0mnext line\\r\\n"}\n{"stream":"bell\\u0007 and \\u001b]0;title\\u0007tab\\there\\n"}\n');
    d.end();
    expect(lines).toEqual(['nc: refused', 'next line', 'bell and 0;titletab\there']);
  });

  it('cuts a line longer than the limit, saying how much was cut and the setting', () => {
    const lines: string[] = [];
    const d = new BuildStreamDecoder((l) => lines.push(l), { maxLineChars: 300 });
    d.push(`{"stream":"${'word '.repeat(200)}"}\n{"stream":"${'x'.repeat(500)}\\nnext\\n"}\n`);
    d.end();
    expect(lines).toHaveLength(2);
    expect(lines[0]!.length).toBeLessThanOrEqual(300);
    expect(lines[0]).toMatch(/^(word )+word … \[line cut: 1,\d{3} more characters; lines are cut at 300 \(BUILD_LOG_LINE_MAX_CHARS\)\]$/);
    expect(lines[1]).toBe('next');
  });

  it('never shows part of a word at a cut (a secret is redacted whole later, or not shown)', () => {
    const secret = 's3cr3t-'.repeat(10);
    const line = `${'a '.repeat(100)}token=${secret}${' and more'.repeat(20)}`;
    expect(line.slice(0, 330 - 90)).toContain('s3cr3t'); // a plain cut at 330 (note included) would show part of it
    const cut = cutLine(line, 0, 330);
    expect(cut).toMatch(/^(a )+a … \[line cut: /);
    expect(cut).not.toContain('s3cr3t');
    expect(cut.length).toBeLessThanOrEqual(330);
    expect(cutLine('short', 0, 260)).toBe('short');
  });

  it('stays linear: a 50 MB line in small chunks, one 50 MB message, and a million short lines', () => {
    const time = (work: () => void) => {
      const started = performance.now();
      work();
      return performance.now() - started;
    };
    const one: string[] = [];
    const chunked = time(() => {
      const d = new BuildStreamDecoder((l) => one.push(l), { maxLineChars: 4096 });
      const piece = `{"stream":"${'y'.repeat(64 * 1024)}"}\n`;
      for (let i = 0; i < 800; i++) d.push(piece); // 800 messages of 64 KiB, no newline in the text: one 50 MB line
      d.push('{"stream":"\\n"}\n');
      d.end();
    });
    expect(one).toHaveLength(1);
    expect(one[0]).toMatch(/line cut: 52,42\d,\d{3} more characters/);
    const single: string[] = [];
    const big = Buffer.from(`{"stream":"${'z'.repeat(50 * 1024 * 1024)}\\n"}\n`);
    const whole = time(() => {
      const d = new BuildStreamDecoder((l) => single.push(l), { maxLineChars: 4096 });
      for (let i = 0; i < big.length; i += 64 * 1024) d.push(big.subarray(i, i + 64 * 1024));
      d.end();
    });
    expect(single).toHaveLength(1);
    let count = 0;
    const many = time(() => {
      const d = new BuildStreamDecoder(() => count++, { maxLineChars: 4096 });
      const batch = '{"stream":"a short line\\n"}\n'.repeat(10_000);
      for (let i = 0; i < 100; i++) d.push(batch);
      d.end();
    });
    expect(count).toBe(1_000_000);
    // Generous bounds for a loaded 2-core machine; quadratic work would take minutes.
    expect({ chunked: chunked < 10_000, whole: whole < 10_000, many: many < 10_000 }).toEqual({ chunked: true, whole: true, many: true });
  });
});

describe('demuxLogLines', () => {
  it('keeps stdout and stderr lines in arrival order and joins split frames', () => {
    const body = Buffer.concat([frame(1, 'out 1\nout '), frame(2, 'err 1\n'), frame(1, '2\n'), frame(2, 'tail without newline')]);
    expect(demuxLogLines(body)).toEqual(['out 1', 'err 1', 'out 2', 'tail without newline']);
  });
  it('reads a TTY body (no frame headers) as plain text', () => {
    expect(demuxLogLines(Buffer.from('hello\r\nworld\n'))).toEqual(['hello', 'world']);
    expect(demuxLogLines(Buffer.alloc(0))).toEqual([]);
  });
});

describe('DockerEngine without an engine', () => {
  const engine = new DockerEngine(loadConfig({ DOCKER_HOST: 'unix:///nonexistent/slipway-docker.sock' }));
  it('answers ping with false', async () => {
    expect(await engine.ping()).toBe(false);
  });
  it('names the socket and DOCKER_HOST when the engine is unreachable', async () => {
    const err = await engine.findImage('x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DockerUnavailableError);
    expect((err as Error).message).toMatch(/\/nonexistent\/slipway-docker\.sock.*DOCKER_HOST/);
    expect((err as DockerUnavailableError).retryable).toBe(true);
    await expect(engine.listContainers({}, { all: true })).rejects.toBeInstanceOf(DockerUnavailableError);
    await expect(engine.stopContainer('x', { timeoutSeconds: 1 })).rejects.toBeInstanceOf(DockerUnavailableError);
  });
});
