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
  models:
    chat:
      routes:
        - { provider: anthropic, model: claude-sonnet-4-5, weight: 3, timeouts: { firstByteMs: 20000 } }
        - { provider: mock, model: mock-smart }
      fallbackOn: [rate_limit, overloaded]
  budgets:
    - { scope: project, period: day, limitUsd: 5 }
  limits:
    key: { requestsPerMinute: 600 }
`),
    );
    expect(config).toEqual({
      build: { dockerfile: 'docker/Dockerfile', context: '.', args: { NODE_VERSION: '20', DEBUG: 'false', LABEL: 'hello' } },
      run: { port: 8080, command: 'node dist/server.js' },
      healthCheck: { path: '/healthz', timeoutSeconds: 30, intervalMs: 500 },
      resources: { memoryMb: 256, cpuMillis: 250, replicas: 2 },
      capabilities: { add: ['NET_BIND_SERVICE', 'CHOWN'] },
      gateway: {
        models: {
          chat: {
            routes: [
              { provider: 'anthropic', model: 'claude-sonnet-4-5', weight: 3, timeouts: { firstByteMs: 20000 } },
              { provider: 'mock', model: 'mock-smart' },
            ],
            fallbackOn: ['rate_limit', 'overloaded'],
          },
        },
        budgets: [{ scope: 'project', period: 'day', limitUsd: 5, action: 'block' }],
        limits: { key: { requestsPerMinute: 600 } },
      },
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
    const shared = 'gateway:\n  models:\n    a:\n      routes: [&r { provider: mock, model: mock-fast }]\n    b:\n      routes: [*r]\n';
    expect(configOf(parseSlipwayYaml(shared)).gateway?.models?.b).toEqual({ routes: [{ provider: 'mock', model: 'mock-fast' }] });
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

describe('parseSlipwayYaml: the gateway section (routing as code)', () => {
  const lines = (text: string) => formatSlipwayYamlErrors(errorsOf(parseSlipwayYaml(text)));
  const chat = 'gateway:\n  models:\n    chat:\n      routes:\n';

  it('names the line and path of a bad route', () => {
    expect(
      lines(`${chat}        - provider: mock\n          model: mock-smart\n        - provider: "my provider"\n          model: x\n`),
    ).toEqual([
      'slipway.yaml line 7: gateway.models.chat.routes.1.provider: Name the provider with letters, digits, ".", "_" or "-" (at most 63 characters).',
    ]);
    expect(lines(`${chat}        - model: mock-smart\n`)).toEqual([
      'slipway.yaml line 5: gateway.models.chat.routes.0.provider: Give the provider as text.',
    ]);
    expect(lines(`${chat}        - { provider: mock, model: x, weight: -1, maxAttempts: 9 }\n`)).toEqual([
      'slipway.yaml line 5: gateway.models.chat.routes.0.weight: Use a whole number from 0 to 1000.',
      'slipway.yaml line 5: gateway.models.chat.routes.0.maxAttempts: Use a whole number from 1 to 5.',
    ]);
  });

  it('rejects a budget that downgrades without saying to which alias, on its line', () => {
    const text = `${chat}        - { provider: mock, model: mock-smart }\n  budgets:\n    - scope: project\n      period: day\n      limitUsd: 5\n      action: downgrade\n`;
    expect(lines(text)).toEqual([
      'slipway.yaml line 7: gateway.budgets.0.downgradeTo: Name the alias to downgrade to (downgradeTo: <alias>).',
    ]);
  });

  it('rejects a downgradeTo that names no alias, on the line of that key', () => {
    const text = `${chat}        - { provider: mock, model: mock-smart }\n  budgets:\n    - scope: project\n      period: day\n      limitUsd: 5\n      action: downgrade\n      downgradeTo: cheap\n`;
    expect(lines(text)).toEqual([
      'slipway.yaml line 11: gateway.budgets.0.downgradeTo: No alias "cheap" under gateway.models (aliases: chat).',
    ]);
  });

  it('rejects an unknown fallbackOn category on its list item', () => {
    const text = `${chat}        - { provider: mock, model: mock-smart }\n      fallbackOn:\n        - timeout\n        - flaky\n`;
    expect(lines(text)).toEqual([
      'slipway.yaml line 8: gateway.models.chat.fallbackOn.1: Use one of: rate_limit, overloaded, server_error, timeout, connection, auth, stream_cut, client.',
    ]);
  });

  it('reports every gateway problem at once, cross-references included', () => {
    const text = `${chat}        - { provider: mock, model: mock-smart }\n      fallbackOn: [sometimes]\n  budgets:\n    - { scope: project, period: day, limitUsd: 5, action: downgrade, downgradeTo: cheap }\n`;
    expect(errorsOf(parseSlipwayYaml(text)).map((e) => [e.line, e.path])).toEqual([
      [6, 'gateway.models.chat.fallbackOn.0'],
      [8, 'gateway.budgets.0.downgradeTo'],
    ]);
  });

  it('suggests the right spelling of an unknown key at any depth of the section', () => {
    const text = `gateway:\n  model: {}\n  models:\n    chat:\n      rotues: []\n      routes:\n        - { provider: mock, model: x, timeouts: { idle: 100 } }\n  limits:\n    customer: { requestsPerMin: 5 }\n`;
    expect(errorsOf(parseSlipwayYaml(text))).toEqual([
      {
        line: 2,
        column: 3,
        path: 'gateway.model',
        message: expect.stringContaining(
          'Unknown key "model" under gateway (did you mean models?). Allowed: models, budgets, limits, catalog, retryBudget.',
        ),
      },
      { line: 5, column: 7, path: 'gateway.models.chat.rotues', message: expect.stringContaining('(did you mean routes?)') },
      {
        line: 7,
        column: 51,
        path: 'gateway.models.chat.routes.0.timeouts.idle',
        message: expect.stringContaining('(did you mean idleMs?)'),
      },
      {
        line: 9,
        column: 17,
        path: 'gateway.limits.customer.requestsPerMin',
        message: expect.stringContaining('Allowed: requestsPerMinute, tokensPerMinute.'),
      },
    ]);
  });

  it('rejects an alias name it cannot route to, on the line of the name', () => {
    expect(lines('gateway:\n  models:\n    "my chat":\n      routes: [{ provider: mock, model: x }]\n')).toEqual([
      'slipway.yaml line 3: gateway.models.my chat: Name the alias with letters, digits, ".", "_" or "-" (at most 63 characters).',
    ]);
  });
});
