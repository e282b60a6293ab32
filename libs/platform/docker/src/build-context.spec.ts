import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
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
