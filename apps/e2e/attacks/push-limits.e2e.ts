import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { attacker, pushCommit, remoteBranches, type Entry, type Project } from '../support/attacker';
import { E2E } from '../support/env';

const mib = (bytes: number) => `${bytes / 1024 / 1024} MiB`;

/** Commits too large to unpack: refused at push time, naming the limit and its setting. */
describe('attack: commits over the push limits', () => {
  let tenant: Awaited<ReturnType<typeof attacker>>;
  let n = 0;

  beforeAll(async () => {
    tenant = await attacker('SizeAttacker');
  });

  async function refused(entries: Record<string, Entry>): Promise<{ out: string; project: Project }> {
    const project = await tenant.project(`big-${++n}`);
    const push = await pushCommit(project.remote, entries);
    expect(push.code, push.out).not.toBe(0);
    expect(push.out).toContain(`remote: Push refused: main (${push.sha.slice(0, 7)}): `);
    expect(await remoteBranches(project.remote)).toBe('');
    expect(await project.builds()).toEqual([]);
    return { out: push.out, project };
  }

  it('a file over PUSH_MAX_BLOB_BYTES, named with its size', async () => {
    // Random bytes do not compress: the pack stays under PUSH_MAX_BYTES, the file is over the limit.
    const size = E2E.pushMaxBlobBytes + 256 * 1024;
    expect(size).toBeLessThan(E2E.pushMaxBytes);
    const { out } = await refused({ 'index.html': '<h1>hi</h1>', 'media/intro.mp4': randomBytes(size) });
    expect(out).toContain(
      `media/intro.mp4 is ${(size / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MiB, larger than the ${mib(E2E.pushMaxBlobBytes)} a file may be (PUSH_MAX_BLOB_BYTES=${E2E.pushMaxBlobBytes}).`,
    );
  });

  it('files adding up to more than PUSH_MAX_UNPACKED_BYTES (zeros: a tiny pack that unpacks big)', async () => {
    const files = Object.fromEntries(Array.from({ length: E2E.pushMaxUnpackedBytes / E2E.pushMaxBlobBytes + 1 }, (_, i) => [`blob${i}.bin`, Buffer.alloc(E2E.pushMaxBlobBytes, i)]));
    const { out } = await refused(files);
    expect(out).toContain(`The files of the commit add up to more than ${mib(E2E.pushMaxUnpackedBytes)}, the most a commit may hold (PUSH_MAX_UNPACKED_BYTES=${E2E.pushMaxUnpackedBytes}).`);
  });

  it('more than PUSH_MAX_FILES files', async () => {
    const files = Object.fromEntries(Array.from({ length: E2E.pushMaxFiles + 1 }, (_, i) => [`many/f${i}.txt`, 'same']));
    const { out } = await refused(files);
    expect(out).toContain(`The commit has more than ${E2E.pushMaxFiles.toLocaleString('en-US')} files, the most a commit may hold (PUSH_MAX_FILES=${E2E.pushMaxFiles}).`);
  });
});
