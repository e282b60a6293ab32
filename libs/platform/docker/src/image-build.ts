import type Docker from 'dockerode';
import type { Config } from '@slipway/config';
import type { BuildImageOptions, BuildImageResult } from './container-runtime';
import { BuildFailedError } from './docker.errors';
import { BuildStreamDecoder, cancelled, dockerMessage, insideContext, isUnreachable } from './docker-internals';
import { MANAGED_LABELS } from './labels';
import { packBuildContext } from './build-context';
import { ensureBuildNetwork } from './build-network';
import { BuildStepGuard } from './build-step-guard';

const MIB = 1024 * 1024;
const CPU_PERIOD_US = 100_000;

/** The operator's limits on every build (config). */
export type BuildSettings = Pick<Config, 'BUILD_MEMORY_MB' | 'BUILD_CPU_MILLIS' | 'BUILD_PIDS_LIMIT' | 'BUILD_DISK_MB' | 'BUILD_LOG_LINE_MAX_CHARS'>;

/** What the build needs back from DockerEngine. */
export interface BuildEngine {
  translate(err: unknown): Error;
  findImage(ref: string): Promise<string | null>;
}

/**
 * `POST /build` with the classic builder: the context folder as a tar stream (honouring
 * .dockerignore as the Docker CLI does), the layer cache, every output line to onLog as it
 * arrives. Steps run on the build network (created when missing) with memory and CPU limits
 * from the build API, and the process and disk limits of BuildStepGuard.
 */
export async function buildImage(docker: Docker, options: BuildImageOptions, engine: BuildEngine, settings: BuildSettings): Promise<BuildImageResult> {
  const { signal } = options;
  const dockerfile = insideContext(options.dockerfile);
  if (signal?.aborted) throw cancelled(signal);
  try {
    await ensureBuildNetwork(docker, options.network);
  } catch (err) {
    throw engine.translate(err);
  }
  const context = await packBuildContext(options.contextDir, dockerfile);
  let stopBuild: (err: Error) => void = () => undefined;
  const guard = new BuildStepGuard(docker, options.network, settings, (message) => stopBuild(new BuildFailedError(message)));
  const decoder = new BuildStreamDecoder(options.onLog, { maxLineChars: settings.BUILD_LOG_LINE_MAX_CHARS, onStepContainer: (id) => guard.announce(id) });

  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.buildImage(context, {
      // docker-modem repeats an array as `t=a&t=b`, which the engine reads as several tags.
      t: options.tags as unknown as string,
      dockerfile,
      labels: { ...options.labels, ...MANAGED_LABELS },
      buildargs: options.buildArgs ?? {},
      networkmode: options.network,
      memory: settings.BUILD_MEMORY_MB * MIB,
      memswap: settings.BUILD_MEMORY_MB * MIB, // no swap beyond the memory limit
      cpuperiod: CPU_PERIOD_US,
      cpuquota: Math.round((settings.BUILD_CPU_MILLIS * CPU_PERIOD_US) / 1000),
      rm: true,
      forcerm: true, // no intermediate containers left behind by a failed step
      abortSignal: signal,
    });
  } catch (err) {
    if (signal?.aborted) throw cancelled(signal);
    if (isUnreachable(err)) throw engine.translate(err);
    // The engine refused before building: unknown Dockerfile path, parse error, bad FROM…
    throw new BuildFailedError(dockerMessage(err));
  }

  let stoppedEarly = false;
  try {
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const done = (err?: Error) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve();
      };
      // Closing the connection makes the engine cancel the build and kill its RUN step.
      stopBuild = (err) => {
        stoppedEarly = true;
        (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
        done(err);
      };
      const onAbort = () => stopBuild(cancelled(signal!));
      signal?.addEventListener('abort', onAbort, { once: true });
      stream.on('data', (chunk: Buffer) => decoder.push(chunk));
      stream.on('end', () => done());
      stream.on('error', (err: Error) => done(signal?.aborted ? cancelled(signal) : engine.translate(err)));
    });
  } finally {
    decoder.end(); // the last partial line, also of a stopped build
    // A cancelled build returns once the engine has removed its step containers.
    await guard.stop({ awaitRemoval: stoppedEarly });
  }
  if (decoder.error) throw new BuildFailedError(decoder.error);
  const imageId = decoder.imageId ?? (options.tags[0] ? await engine.findImage(options.tags[0]) : null);
  if (!imageId) throw new BuildFailedError('The build finished without producing an image.');
  return { imageId };
}
