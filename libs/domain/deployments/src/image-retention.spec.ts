import type { Config } from '@slipway/config';
import { FakeDockerEngine } from '@slipway/testing';
import { describe, expect, it, vi } from 'vitest';
import { BUILD_CACHE_TRIM_EVERY_MS, ImageRetention } from './image-retention';
import type { ImageRetentionRepository } from './image-retention.repository';

const MB = 1024 * 1024;
const config = { RELEASE_IMAGES_KEEP: 10, BUILD_CACHE_MAX_MB: 100 } as Config;

describe('ImageRetention.trimBuildCacheSoon (after a build)', () => {
  it('trims a build cache over BUILD_CACHE_MAX_MB to the budget, at most once per interval and one trim at a time', async () => {
    const docker = new FakeDockerEngine();
    docker.buildCache = 180 * MB;
    const retention = new ImageRetention(docker, {} as ImageRetentionRepository, config);
    const t0 = 1_000_000_000;
    const first = retention.trimBuildCacheSoon(t0);
    expect(retention.trimBuildCacheSoon(t0 + 1)).toBeNull(); // one already running
    await first;
    expect(docker.buildCache).toBe(100 * MB);

    docker.buildCache = 150 * MB; // more builds since
    expect(retention.trimBuildCacheSoon(t0 + BUILD_CACHE_TRIM_EVERY_MS - 1)).toBeNull();
    expect(docker.buildCache).toBe(150 * MB);
    await retention.trimBuildCacheSoon(t0 + BUILD_CACHE_TRIM_EVERY_MS);
    expect(docker.buildCache).toBe(100 * MB);
    expect(docker.callsOf('pruneBuildCache')).toEqual([[100 * MB], [100 * MB]]);
  });

  it('never fails the build: an engine that does not answer is logged and the hourly pass tries again', async () => {
    const docker = new FakeDockerEngine();
    docker.setReachable(false);
    const retention = new ImageRetention(docker, {} as ImageRetentionRepository, config);
    const warn = vi.spyOn((retention as unknown as { logger: { warn: (m: string) => void } }).logger, 'warn').mockImplementation(() => undefined);
    await expect(retention.trimBuildCacheSoon(0)).resolves.toBeUndefined();
    expect(warn.mock.calls[0]![0]).toMatch(/build cache trim after a build failed/);
  });
});
