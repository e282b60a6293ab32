import type Docker from 'dockerode';
import type { BuildImageOptions, BuildImageResult } from './container-runtime';
import { BuildFailedError } from './docker.errors';
import { BuildStreamDecoder, cancelled, dockerMessage, insideContext, isUnreachable } from './docker-internals';
import { MANAGED_LABELS } from './labels';
import { packBuildContext } from './build-context';

/** What the build needs back from DockerEngine. */
export interface BuildEngine {
  translate(err: unknown): Error;
  findImage(ref: string): Promise<string | null>;
}

/**
 * `POST /build` with the classic builder: the context folder as a tar stream (honouring
 * .dockerignore as the Docker CLI does), the layer cache, every output line to onLog as it arrives.
 */
export async function buildImage(docker: Docker, options: BuildImageOptions, engine: BuildEngine): Promise<BuildImageResult> {
  const { signal } = options;
  const dockerfile = insideContext(options.dockerfile);
  if (signal?.aborted) throw cancelled(signal);
  const context = await packBuildContext(options.contextDir, dockerfile);
  const decoder = new BuildStreamDecoder(options.onLog);

  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.buildImage(
      context,
      {
        // docker-modem repeats an array as `t=a&t=b`, which the engine reads as several tags.
        t: options.tags as unknown as string,
        dockerfile,
        labels: { ...options.labels, ...MANAGED_LABELS },
        buildargs: options.buildArgs ?? {},
        networkmode: options.network ?? 'default',
        rm: true,
        forcerm: true, // no intermediate containers left behind by a failed step
        abortSignal: signal,
      },
    );
  } catch (err) {
    if (signal?.aborted) throw cancelled(signal);
    if (isUnreachable(err)) throw engine.translate(err);
    // The engine refused before building: unknown Dockerfile path, parse error, bad FROM…
    throw new BuildFailedError(dockerMessage(err));
  }

  await new Promise<void>((resolve, reject) => {
    const done = (err?: Error) => {
      signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve();
    };
    // Closing the connection makes the engine cancel the build and kill its RUN step.
    const onAbort = () => {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      done(cancelled(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    stream.on('data', (chunk: Buffer) => decoder.push(chunk));
    stream.on('end', () => done());
    stream.on('error', (err: Error) => done(signal?.aborted ? cancelled(signal) : engine.translate(err)));
  });
  decoder.end();
  if (decoder.error) throw new BuildFailedError(decoder.error);
  const imageId = decoder.imageId ?? (options.tags[0] ? await engine.findImage(options.tags[0]) : null);
  if (!imageId) throw new BuildFailedError('The build finished without producing an image.');
  return { imageId };
}
