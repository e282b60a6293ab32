import type Docker from 'dockerode';
import type { ImageInfo } from './container-runtime';
import { MANAGED_LABELS, labelFilter } from './labels';

/**
 * Images and build cache, for clean-up (image retention, project teardown, the build cache
 * budget). Only managed images are ever listed, so callers cannot reach an image Slipway did
 * not build.
 */

/** Images carrying every given label and `slipway.managed=1`, dangling ones included. */
export async function listManagedImages(docker: Docker, labels: Record<string, string>): Promise<ImageInfo[]> {
  const found = await docker.listImages({ all: false, filters: { label: labelFilter({ ...labels, ...MANAGED_LABELS }) } });
  return found.map((i) => ({
    id: i.Id,
    // Docker reports an untagged image as `<none>:<none>` (or null on some versions).
    tags: (i.RepoTags ?? []).filter((t) => t !== '<none>:<none>'),
    labels: i.Labels ?? {},
    sizeBytes: i.Size,
    createdAt: new Date(i.Created * 1000),
  }));
}

/**
 * `POST /build/prune?keep-storage=…&all=true`, what `docker builder prune --all --keep-storage`
 * does: the engine drops the least recently used cache records until at most `keepBytes`
 * remain (records in use by a running build are kept). dockerode's `pruneBuilder` sends no
 * query parameters, hence the direct dial.
 */
export async function pruneBuildCache(docker: Docker, keepBytes: number): Promise<{ reclaimedBytes: number }> {
  const answer = await new Promise<{ SpaceReclaimed?: number } | null>((resolve, reject) => {
    docker.modem.dial(
      {
        path: '/build/prune?',
        method: 'POST',
        options: { 'keep-storage': keepBytes, all: true },
        statusCodes: { 200: true, 500: 'server error' },
      },
      (err: unknown, data: unknown) => (err ? reject(err) : resolve(data as { SpaceReclaimed?: number } | null)),
    );
  });
  return { reclaimedBytes: answer?.SpaceReclaimed ?? 0 };
}

/** Bytes held by the engine's build cache (`docker system df`'s Build Cache line). */
export async function buildCacheBytes(docker: Docker): Promise<number> {
  const df = (await docker.df()) as { BuildCache?: { Size?: number }[] | null };
  return (df.BuildCache ?? []).reduce((sum, record) => sum + (record.Size ?? 0), 0);
}
