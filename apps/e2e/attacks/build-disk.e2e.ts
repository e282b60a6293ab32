import { beforeAll, describe, expect, it } from 'vitest';
import { attacker, docker, nodeBaseImage, pushCommit } from '../support/attacker';
import { E2E } from '../support/env';

/** A build step that writes gigabytes to its filesystem (the platform under test allows BUILD_DISK_MB). */
describe('attack: a build that fills the disk', () => {
  let remote: string;
  let base: string;

  beforeAll(async () => {
    const tenant = await attacker('DiskAttacker');
    remote = (await tenant.project('filler')).remote;
    base = await nodeBaseImage();
  });

  it('is stopped at BUILD_DISK_MB, the push says which setting, and its step container is gone', async () => {
    const started = Date.now();
    const push = await pushCommit(remote, { Dockerfile: `FROM ${base}\nRUN dd if=/dev/zero of=/fill bs=1M count=8192 && echo "wrote $((8 * 1024)) MB"\n` });
    expect(push.code, push.out).not.toBe(0);
    const mb = E2E.buildDiskMb;
    expect(push.out).toContain(`remote: Build failed: The build wrote more than ${mb} MB to its filesystem, the most one build may write (BUILD_DISK_MB=${mb}); it was stopped.`);
    expect(push.out).not.toContain('wrote 8192 MB'); // the step's last line, had dd finished
    expect(Date.now() - started).toBeLessThan(60_000);
    const step = /remote:\s+---> Running in ([0-9a-f]{12})/.exec(push.out)?.[1];
    expect(step, push.out).toBeDefined();
    const inspect = await docker(['container', 'inspect', step!]);
    expect(inspect.code, inspect.out).not.toBe(0);
    expect(inspect.out).toMatch(/No such container/i);
  });
});
