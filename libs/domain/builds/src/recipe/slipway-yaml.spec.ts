import { describe, expect, it } from 'vitest';
import { formatSlipwayYamlErrors, parseSlipwayYaml, SLIPWAY_YAML_MAX_BYTES, type SlipwayYamlResult } from './slipway-yaml';

const errorsOf = (result: SlipwayYamlResult) => {
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.config)}`);
  return result.errors;
};
const configOf = (result: SlipwayYamlResult) => {
  if (!result.ok) throw new Error(`expected a config, got ${JSON.stringify(result.errors)}`);
  return result.config;
};

describe('parseSlipwayYaml', () => {
  it('reads every documented setting', () => {
    const config = configOf(
      parseSlipwayYaml(`
build:
  dockerfile: ./docker/Dockerfile
  context: .
  args:
    NODE_VERSION: 20
    DEBUG: false
    LABEL: hello
run:
  port: 8080
  command: node dist/server.js
healthCheck:
  path: /healthz
  timeoutSeconds: 30
  intervalMs: 500
resources: { memoryMb: 256, cpuMillis: 250, replicas: 2 }
capabilities:
  add: [NET_BIND_SERVICE, cap_chown, NET_BIND_SERVICE]
gateway:
  models: [claude]
`),
    );
    expect(config).toEqual({
      build: { dockerfile: 'docker/Dockerfile', context: '.', args: { NODE_VERSION: '20', DEBUG: 'false', LABEL: 'hello' } },
      run: { port: 8080, command: 'node dist/server.js' },
      healthCheck: { path: '/healthz', timeoutSeconds: 30, intervalMs: 500 },
      resources: { memoryMb: 256, cpuMillis: 250, replicas: 2 },
      capabilities: { add: ['NET_BIND_SERVICE', 'CHOWN'] },
      gateway: { models: ['claude'] },
    });
  });

  it.each(['', '   \n\n', '# only a comment\n', '---\n', '~\n'])('treats %j as the empty config', (text) => {
    expect(configOf(parseSlipwayYaml(text))).toEqual({});
  });

  it('treats a key with no value as left out', () => {
    expect(configOf(parseSlipwayYaml('run:\nhealthCheck:\n  path:\n'))).toEqual({ healthCheck: {} });
  });

  it('names the line and column of a YAML syntax error', () => {
    const [error, ...rest] = errorsOf(parseSlipwayYaml('run:\n  port: 3000\n   command: [oops\n'));
    expect(rest.length).toBeGreaterThanOrEqual(0);
    expect(error).toMatchObject({ path: '' });
    expect(error!.line).toBeGreaterThanOrEqual(2);
    expect(error!.column).toBeGreaterThanOrEqual(1);
    expect(error!.message).not.toMatch(/at line/);
  });

  it('says to indent with spaces when a tab indents', () => {
    const errors = errorsOf(parseSlipwayYaml('run:\n\tport: 3000\n'));
    expect(errors[0]).toMatchObject({ line: 2 });
    expect(errors.map((e) => e.message).join(' ')).toMatch(/tab/i);
  });

  it('rejects a duplicated key on its second line', () => {
    const errors = errorsOf(parseSlipwayYaml('run:\n  port: 1\nrun:\n  port: 2\n'));
    expect(errors[0]).toMatchObject({ line: 3, path: '' });
    expect(errors[0]!.message).toMatch(/only once/);
  });

  it('rejects two YAML documents in one file', () => {
    expect(errorsOf(parseSlipwayYaml('run: {}\n---\nbuild: {}\n'))[0]!.message).toMatch(/one YAML document/);
  });

  it('rejects a file that is not a mapping', () => {
    expect(errorsOf(parseSlipwayYaml('\n- build\n- run\n'))).toEqual([
      { line: 2, column: 1, path: '', message: expect.stringMatching(/mapping/) },
    ]);
    expect(errorsOf(parseSlipwayYaml('hello'))[0]!.message).toMatch(/mapping/);
  });

  it('names an unknown top-level key, its line, and the spelling it probably meant', () => {
    const errors = errorsOf(parseSlipwayYaml('run:\n  port: 3000\nhealthcheck:\n  path: /\nfoo: 1\n'));
    expect(errors).toEqual([
      { line: 3, column: 1, path: 'healthcheck', message: expect.stringContaining('(did you mean healthCheck?)') },
      { line: 5, column: 1, path: 'foo', message: expect.stringContaining('Unknown key "foo" at the top level') },
    ]);
    expect(errors[1]!.message).toContain('Allowed: build, run, healthCheck, resources, capabilities, gateway.');
  });

  it('names an unknown nested key', () => {
    expect(errorsOf(parseSlipwayYaml('run:\n  port: 3000\n  cmd: node x\n'))).toEqual([
      { line: 3, column: 3, path: 'run.cmd', message: 'Unknown key "cmd" under run. Allowed: port, command.' },
    ]);
  });

  it('reports an unknown key even when it has no value', () => {
    expect(errorsOf(parseSlipwayYaml('bogus:\n'))).toEqual([expect.objectContaining({ line: 1, path: 'bogus' })]);
  });

  it('points at the line of a bad value and explains the limits', () => {
    const errors = errorsOf(parseSlipwayYaml('# settings\nrun:\n  command: node server.js\n  port: 70000\n'));
    expect(errors).toEqual([{ line: 4, column: 3, path: 'run.port', message: 'Use a whole number from 1 to 65535.' }]);
    expect(formatSlipwayYamlErrors(errors)).toEqual(['slipway.yaml line 4: run.port: Use a whole number from 1 to 65535.']);
  });

  it.each([
    ['run:\n  port: "3000"\n', 'run.port', 2],
    ['run:\n  port: 30.5\n', 'run.port', 2],
    ['healthCheck:\n  path: healthz\n', 'healthCheck.path', 2],
    ['healthCheck:\n  timeoutSeconds: 0\n', 'healthCheck.timeoutSeconds', 2],
    ['healthCheck:\n  timeoutSeconds: 601\n', 'healthCheck.timeoutSeconds', 2],
    ['healthCheck:\n  intervalMs: 10\n', 'healthCheck.intervalMs', 2],
    ['resources:\n  memoryMb: 16\n', 'resources.memoryMb', 2],
    ['resources:\n  cpuMillis: 10\n', 'resources.cpuMillis', 2],
    ['resources:\n  replicas: 21\n', 'resources.replicas', 2],
    ['build:\n  dockerfile: ../Dockerfile\n', 'build.dockerfile', 2],
    ['build:\n  dockerfile: /etc/Dockerfile\n', 'build.dockerfile', 2],
    ['build:\n  dockerfile: .\n', 'build.dockerfile', 2],
    ['build:\n  context: app/../../x\n', 'build.context', 2],
    ['build:\n  args:\n    "BAD-NAME": x\n', 'build.args.BAD-NAME', 3],
    ['build:\n  args:\n    A: [1]\n', 'build.args.A', 3],
    ['run:\n  command: "  "\n', 'run.command', 2],
    ['run: 3000\n', 'run', 1],
    ['gateway: [a]\n', 'gateway', 1],
    ['capabilities:\n  add: NET_BIND_SERVICE\n', 'capabilities.add', 2],
  ])('rejects %j at %s on line %i', (text, path, line) => {
    expect(errorsOf(parseSlipwayYaml(text))).toEqual([expect.objectContaining({ path, line })]);
  });

  it("states the environment settings' resource limits", () => {
    expect(errorsOf(parseSlipwayYaml('resources:\n  memoryMb: lots\n'))[0]!.message).toBe('Use a whole number from 64 to 65536 MB.');
    expect(errorsOf(parseSlipwayYaml('resources:\n  cpuMillis: 64001\n'))[0]!.message).toBe(
      'Use a whole number from 50 to 64000 millicores.',
    );
  });

  it('points at the list item of a capability it does not know or does not allow', () => {
    const errors = errorsOf(parseSlipwayYaml('capabilities:\n  add:\n    - NET_BIND_SERVICE\n    - SYS_ADMIN\n    - FLY\n    - ALL\n'));
    expect(errors).toEqual([
      { line: 4, column: 7, path: 'capabilities.add.1', message: expect.stringMatching(/^SYS_ADMIN is not allowed/) },
      { line: 5, column: 7, path: 'capabilities.add.2', message: '"FLY" is not a Linux capability (e.g. NET_BIND_SERVICE).' },
      { line: 6, column: 7, path: 'capabilities.add.3', message: 'Name each capability; ALL is not allowed.' },
    ]);
  });

  it('reports every problem at once, in line order', () => {
    const errors = errorsOf(parseSlipwayYaml('resources:\n  replicas: 0\nrun:\n  port: -1\nextra: 1\n'));
    expect(errors.map((e) => [e.line, e.path])).toEqual([
      [2, 'resources.replicas'],
      [4, 'run.port'],
      [5, 'extra'],
    ]);
  });

  it('resolves anchors and aliases but bounds them', () => {
    expect(configOf(parseSlipwayYaml('gateway: &g { a: 1 }\nbuild:\n  args: { X: y }\n'))).toMatchObject({ gateway: { a: 1 } });
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      ...Array.from(
        { length: 8 },
        (_, i) =>
          `${'b'.repeat(i + 1)}: &${'b'.repeat(i + 1)} [${Array(9)
            .fill(`*${i === 0 ? 'a' : 'b'.repeat(i)}`)
            .join(', ')}]`,
      ),
    ];
    const result = (() => {
      try {
        return parseSlipwayYaml(`gateway:\n  ${bomb.join('\n  ')}\n`);
      } catch (err) {
        return err;
      }
    })();
    expect(result).toMatchObject({ ok: false });
  });

  it('refuses a file larger than the limit', () => {
    const errors = errorsOf(parseSlipwayYaml(`# ${'x'.repeat(SLIPWAY_YAML_MAX_BYTES)}\n`));
    expect(errors[0]!.message).toMatch(/larger than 64 KiB/);
  });
});
