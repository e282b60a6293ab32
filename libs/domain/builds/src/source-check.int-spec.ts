import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { checkCommitSource, type SourceLimits } from './source-check';

// Against the real git binary: commits made as a user would (files and links in a working
// copy), and malformed trees made with git's plumbing, as a hostile client could push them.
const exec = promisify(execFile);
const env = { PATH: process.env.PATH, HOME: tmpdir(), GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.test', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.test' };
const LIMITS: SourceLimits = { PUSH_MAX_BLOB_BYTES: 64 * 1024, PUSH_MAX_UNPACKED_BYTES: 256 * 1024, PUSH_MAX_FILES: 50 };
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const git = async (cwd: string, args: string[], input?: string) => {
  const child = exec('git', args, { cwd, env, maxBuffer: 64 * 1024 * 1024 });
  if (input !== undefined) child.child.stdin!.end(input);
  return (await child).stdout.trim();
};

/** A repository with one commit of `entries`: a string is a file, `{ link }` a symbolic link. */
async function commitOf(entries: Record<string, string | Buffer | { link: string }>): Promise<{ repo: string; sha: string }> {
  const repo = mkdtempSync(join(tmpdir(), 'slipway-source-check-'));
  dirs.push(repo);
  await git(repo, ['init', '-q', '-b', 'main']);
  for (const [path, what] of Object.entries(entries)) {
    mkdirSync(join(repo, path, '..'), { recursive: true });
    if (typeof what === 'object' && 'link' in what) symlinkSync(what.link, join(repo, path));
    else writeFileSync(join(repo, path), what);
  }
  await git(repo, ['add', '-A']);
  await git(repo, ['commit', '-qm', 'c', '--allow-empty']);
  return { repo: join(repo, '.git'), sha: await git(repo, ['rev-parse', 'HEAD']) };
}

/** A commit whose root tree is `lines` of `git mktree` input, `{blob}` standing for a small blob. */
async function rawCommit(lines: string[]): Promise<{ repo: string; sha: string }> {
  const { repo } = await commitOf({});
  const blob = await git(repo, ['hash-object', '-w', '--stdin'], 'x\n');
  const tree = await git(repo, ['mktree'], lines.map((l) => l.replaceAll('{blob}', blob)).join('\n') + '\n');
  return { repo, sha: await git(repo, ['commit-tree', tree, '-m', 'raw']) };
}

const check = ({ repo, sha }: { repo: string; sha: string }, limits = LIMITS) => checkCommitSource(repo, sha, limits);

describe('checkCommitSource on real git objects', () => {
  it('accepts a commit whose links stay inside, and ignores submodules', async () => {
    const c = await commitOf({ 'dist/index.html': '<h1>hi</h1>', public: { link: 'dist' }, 'a/b/c': { link: '../../dist/index.html' }, 'a/up': { link: '..' }, dangling: { link: 'nowhere' } });
    expect(await check(c)).toBeNull();
    // A gitlink (submodule) is not archived: not a file, not a link.
    const work = join(c.repo, '..');
    await git(work, ['update-index', '--add', '--cacheinfo', `160000,${c.sha},vendor/lib`]);
    await git(work, ['commit', '-qm', 'submodule']);
    expect(await checkCommitSource(c.repo, await git(work, ['rev-parse', 'HEAD']), { ...LIMITS, PUSH_MAX_FILES: 5 })).toBeNull();
  });

  it('refuses a link to a host file, naming the path and the target', async () => {
    expect(await check(await commitOf({ 'index.html': { link: '/etc/passwd' } }))).toBe(
      'index.html is a symbolic link to /etc/passwd, an absolute path outside the repository. Links must point inside the repository: commit the file itself, or a relative link to a file of the repository.',
    );
    expect(await check(await commitOf({ '.slipway.Dockerfile': { link: '/work/.slipway/master.key' }, 'package.json': '{}' }))).toMatch(/^\.slipway\.Dockerfile is a symbolic link to \/work\/\.slipway\/master\.key, an absolute path/);
    expect(await check(await commitOf({ 'slipway.yaml': 'build:\n  context: ctx\n', ctx: { link: '/' } }))).toMatch(/^ctx is a symbolic link to \/, an absolute path/);
  });

  it('refuses a link through a link, and one climbing out with ..', async () => {
    expect(await check(await commitOf({ 'd/up': { link: '..' }, a: { link: 'd/up/../etc/passwd' } }))).toMatch(/^a is a symbolic link to d\/up\/\.\.\/etc\/passwd, which leads outside the repository \(resolved through the links of the commit\)/);
    expect(await check(await commitOf({ 'x/y': { link: '../../../etc' } }))).toMatch(/^x\/y is a symbolic link to \.\.\/\.\.\/\.\.\/etc, which leads outside/);
    expect(await check(await commitOf({ a: { link: 'b' }, b: { link: 'a' } }))).toMatch(/^a is a symbolic link to b, which goes through more than 40 links or a loop/);
  });

  it('names a file over PUSH_MAX_BLOB_BYTES, and refuses too many files and too many bytes', async () => {
    expect(await check(await commitOf({ 'assets/video.bin': Buffer.alloc(100 * 1024), 'ok.txt': 'x' }))).toBe(
      'assets/video.bin is 100 KiB, larger than the 64 KiB a file may be (PUSH_MAX_BLOB_BYTES=65536). Keep large files out of git (download them in the build instead), or raise PUSH_MAX_BLOB_BYTES.',
    );
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`f/${i}.txt`, 'same content']));
    expect(await check(await commitOf(many))).toMatch(/^The commit has more than 50 files, the most a commit may hold \(PUSH_MAX_FILES=50\)\./);
    const big = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`part${i}.bin`, Buffer.alloc(60 * 1024, i)]));
    expect(await check(await commitOf(big))).toMatch(/^The files of the commit add up to more than 256 KiB, the most a commit may hold \(PUSH_MAX_UNPACKED_BYTES=262144\)\./);
  });

  it('refuses malformed trees a hostile client can push: a ".." name, a path twice, a link that is also a folder', async () => {
    expect(await check(await rawCommit(['100644 blob {blob}\t..']))).toMatch(/cannot be checked out safely: "\.\."/);
    expect(await check(await rawCommit(['100644 blob {blob}\tx', '100644 blob {blob}\tx']))).toMatch(/holds x twice/);
    const { repo } = await commitOf({});
    const blob = await git(repo, ['hash-object', '-w', '--stdin'], '/etc\n');
    const inner = await git(repo, ['mktree'], `100644 blob ${blob}\tpasswd\n`);
    const tree = await git(repo, ['mktree'], `120000 blob ${blob}\tx\n040000 tree ${inner}\tx\n`);
    expect(await checkCommitSource(repo, await git(repo, ['commit-tree', tree, '-m', 'raw']), LIMITS)).toMatch(/x\/passwd both as a folder and as a file or symbolic link|x is a symbolic link to \/etc/);
  });

  it('escapes control characters in names it shows (a name cannot forge push output lines)', async () => {
    expect(await check(await commitOf({ 'evil\nremote: ok': { link: '/etc/passwd' } }))).toMatch(/^evil\\x0aremote: ok is a symbolic link/);
  });
});
