import { randomBytes } from 'node:crypto';
import type { ContainerRuntime } from '@slipway/docker';

/** The local Node images tests may run clients from, newest first (`slipway/base-node:20` is the older name). */
const NODE_IMAGES = ['slipway/node:24', 'slipway/node:22', 'slipway/node:20', 'slipway/base-node:20'];

/** The first local Node image, or an error saying how to make one. */
export async function localNodeImage(runtime: ContainerRuntime): Promise<string> {
  for (const ref of NODE_IMAGES) if (await runtime.findImage(ref)) return ref;
  throw new Error(`No local Node image (${NODE_IMAGES.join(', ')}): run \`npm start\` or \`npm test\` once to create the base images.`);
}

export interface ClientRun {
  exitCode: number | undefined;
  /** Its stdout and stderr lines. */
  lines: string[];
}

/**
 * Runs `node -e script` once in a container on `network` (as an app there would call out) and
 * returns its output; the container is removed. `labels` let the caller's clean-up find it if
 * the test dies midway.
 */
export async function runNodeClient(
  runtime: ContainerRuntime,
  options: {
    network: string;
    script: string;
    env?: Record<string, string>;
    labels: Record<string, string>;
    image?: string;
    timeoutMs?: number;
  },
): Promise<ClientRun> {
  const name = `slipway-test-client-${randomBytes(4).toString('hex')}`;
  const { id } = await runtime.runContainer({
    name,
    image: options.image ?? (await localNodeImage(runtime)),
    env: options.env ?? {},
    containerPort: 3000,
    labels: options.labels,
    memoryMb: 128,
    cpuMillis: 500,
    network: options.network,
    command: ['node', '-e', options.script],
  });
  try {
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    for (;;) {
      const info = await runtime.getContainer(id);
      if (!info || info.state === 'exited' || info.state === 'dead')
        return { exitCode: info?.exitCode, lines: await runtime.tailLogs(id, 200) };
      if (Date.now() > deadline)
        throw new Error(
          `client ${name} still running after ${options.timeoutMs ?? 30_000} ms: ${(await runtime.tailLogs(id, 20)).join(' | ')}`,
        );
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await runtime.removeContainer(id, { force: true });
  }
}

/** The JSON a client printed on its `RESULT ` line (see `runNodeClient`). */
export function clientResult<T>(run: ClientRun): T {
  const line = run.lines.find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`the client printed no RESULT line (exit ${run.exitCode}): ${run.lines.join(' | ')}`);
  return JSON.parse(line.slice('RESULT '.length)) as T;
}
