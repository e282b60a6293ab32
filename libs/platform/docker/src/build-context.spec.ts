import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packBuildContext } from './build-context';

/** Lists a tar stream's entries with the real tar. */
function list(stream: NodeJS.ReadableStream): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const tar = spawn('tar', ['-t'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    tar.stdout.on('data', (c: Buffer) => (out += c.toString()));
    tar.on('error', reject).on('close', () => resolve(out.split('\n').map((p) => p.replace(/\/$/, '')).filter((p) => p && p !== '.').sort()));
    stream.pipe(tar.stdin);
  });
}

describe('packBuildContext', () => {
  it('applies .dockerignore like the Docker CLI, but always sends the Dockerfile and .dockerignore', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctx-'));
    mkdirSync(join(dir, 'node_modules/x'), { recursive: true });
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'node_modules/x/index.js'), '');
    writeFileSync(join(dir, 'src/app.js'), '');
    writeFileSync(join(dir, 'secret.txt'), '');
    writeFileSync(join(dir, 'build.Dockerfile'), 'FROM scratch\n');
    writeFileSync(join(dir, '.dockerignore'), 'node_modules\nsecret.txt\n*.Dockerfile\n.dockerignore\n');
    expect(await list(await packBuildContext(dir, 'build.Dockerfile'))).toEqual(['.dockerignore', 'build.Dockerfile', 'src', 'src/app.js']);
  });

  it('sends everything without a .dockerignore', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctx-'));
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
    writeFileSync(join(dir, 'a.txt'), '');
    expect(await list(await packBuildContext(dir, 'Dockerfile'))).toEqual(['Dockerfile', 'a.txt']);
  });
});

describe('packBuildContext with links in the context', () => {
  it('packs links as links: a link to a host file sends the link, never the file', async () => {
    const host = mkdtempSync(join(tmpdir(), 'host-'));
    writeFileSync(join(host, 'master.key'), 'MASTER-KEY-BYTES');
    const dir = mkdtempSync(join(tmpdir(), 'ctx-'));
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
    symlinkSync(join(host, 'master.key'), join(dir, 'key'));
    symlinkSync(host, join(dir, 'hostdir'));
    const listing = await tarOutput(await packBuildContext(dir, 'Dockerfile'), ['-tv']);
    expect(listing).toMatch(new RegExp(`^l.* key -> ${join(host, 'master.key')}$`, 'm'));
    expect(listing).toMatch(new RegExp(`^l.* hostdir -> ${host}$`, 'm'));
    expect(listing).not.toMatch(/hostdir\/master.key/);
    // Every file's content, as the engine would unpack it: the key is not there.
    const contents = await tarOutput(await packBuildContext(dir, 'Dockerfile'), ['-xO']);
    expect(contents).toBe('FROM scratch\n');
  });

  it('refuses a .dockerignore that is a link out of the context, and follows one that stays inside', async () => {
    const host = mkdtempSync(join(tmpdir(), 'host-'));
    writeFileSync(join(host, 'rules'), 'secret.txt\n');
    const out = mkdtempSync(join(tmpdir(), 'ctx-'));
    writeFileSync(join(out, 'Dockerfile'), 'FROM scratch\n');
    symlinkSync(join(host, 'rules'), join(out, '.dockerignore'));
    await expect(packBuildContext(out, 'Dockerfile')).rejects.toThrow(/\.dockerignore is a symbolic link that leads outside the build context/);

    const inside = mkdtempSync(join(tmpdir(), 'ctx-'));
    writeFileSync(join(inside, 'Dockerfile'), 'FROM scratch\n');
    writeFileSync(join(inside, 'secret.txt'), '');
    writeFileSync(join(inside, 'ignore-rules'), 'secret.txt\n');
    symlinkSync('ignore-rules', join(inside, '.dockerignore'));
    expect(await list(await packBuildContext(inside, 'Dockerfile'))).toEqual(['.dockerignore', 'Dockerfile', 'ignore-rules']);
  });
});

/** What the real tar prints for a stream (`-tv`: a verbose listing, `-xO`: every file's content). */
function tarOutput(stream: NodeJS.ReadableStream, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const tar = spawn('tar', args, { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    tar.stdout.on('data', (c: Buffer) => (out += c.toString()));
    tar.on('error', reject).on('close', () => resolve(out));
    stream.pipe(tar.stdin);
  });
}
