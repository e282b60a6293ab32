import { describe, expect, it } from 'vitest';
import { BuildStreamDecoder, demuxLogLines, parseDockerHost } from './docker-internals';
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
    const d = new BuildStreamDecoder((l) => lines.push(l));
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
    const d = new BuildStreamDecoder((l) => lines.push(l));
    d.push('{"stream":"no newline"}');
    d.end();
    expect(lines).toEqual(['no newline']);
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
  const engine = new DockerEngine({ DOCKER_HOST: 'unix:///nonexistent/slipway-docker.sock' });
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
