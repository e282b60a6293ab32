import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkedContextFolder, sourceFolder, UnsafeSourceError, writeGeneratedFile } from './source-folder';

// Real folders with hostile links: `host/` stands for the rest of the machine (the master key,
// /etc/passwd), `src/` for an extracted commit.
let base: string;
let src: string;
let secret: string;

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'slipway-source-folder-'));
  src = join(base, 'src');
  mkdirSync(join(base, 'host'));
  mkdirSync(src);
  secret = join(base, 'host', 'master.key');
  writeFileSync(secret, 'MASTER-KEY-BYTES');
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

describe('sourceFolder: reads never follow a link out of the tree', () => {
  it('reads files, and links that stay inside the tree', async () => {
    mkdirSync(join(src, 'dist'));
    writeFileSync(join(src, 'dist/index.html'), '<h1>hi</h1>');
    symlinkSync('dist', join(src, 'public'));
    symlinkSync('dist/index.html', join(src, 'index.html'));
    const tree = sourceFolder(src);
    expect(await tree.readFile('public/index.html')).toBe('<h1>hi</h1>');
    expect(await tree.readFile('index.html')).toBe('<h1>hi</h1>');
    expect(await tree.exists('public')).toBe(true);
    expect(await tree.readFile('dist')).toBeNull(); // a folder is not a file
    expect(await tree.readFile('missing.json')).toBeNull();
  });

  it('refuses a link to a host file, absolute or relative, and a path through a link to /', async () => {
    symlinkSync(secret, join(src, 'package.json'));
    symlinkSync('../host/master.key', join(src, 'slipway.yaml'));
    symlinkSync('/', join(src, 'ctx'));
    const tree = sourceFolder(src);
    await expect(tree.readFile('package.json')).rejects.toThrow(UnsafeSourceError);
    await expect(tree.readFile('slipway.yaml')).rejects.toThrow(/slipway.yaml is a symbolic link that leads outside the repository/);
    await expect(tree.readFile('ctx/etc/passwd')).rejects.toThrow(UnsafeSourceError);
    await expect(tree.exists('ctx')).rejects.toThrow(UnsafeSourceError);
    await expect(tree.readFile('../host/master.key')).rejects.toThrow(UnsafeSourceError);
  });

  it('treats a dangling link inside the tree as no file', async () => {
    symlinkSync('nowhere', join(src, 'package-lock.json'));
    expect(await sourceFolder(src).readFile('package-lock.json')).toBeNull();
  });
});

describe('writeGeneratedFile: a new regular file, never written through a link', () => {
  it('replaces a link named like the generated file (pointing at the master key) and leaves the key alone', async () => {
    symlinkSync(secret, join(src, '.slipway.Dockerfile'));
    symlinkSync(secret, join(src, '.dockerignore'));
    await writeGeneratedFile(src, '.slipway.Dockerfile', 'FROM scratch\n');
    await writeGeneratedFile(src, '.dockerignore', 'node_modules\n');
    expect(readFileSync(secret, 'utf8')).toBe('MASTER-KEY-BYTES');
    expect(lstatSync(join(src, '.slipway.Dockerfile')).isFile()).toBe(true);
    expect(readFileSync(join(src, '.slipway.Dockerfile'), 'utf8')).toBe('FROM scratch\n');
    expect(readFileSync(join(src, '.dockerignore'), 'utf8')).toBe('node_modules\n');
  });

  it('replaces a dangling link, a file and a folder, and creates missing folders', async () => {
    symlinkSync(join(base, 'host', 'created-by-the-attack'), join(src, 'Dockerfile'));
    writeFileSync(join(src, 'nginx.conf'), 'old');
    mkdirSync(join(src, 'ca.pem'));
    await writeGeneratedFile(src, 'Dockerfile', 'a');
    await writeGeneratedFile(src, 'nginx.conf', 'b');
    await writeGeneratedFile(src, 'ca.pem', 'c');
    await writeGeneratedFile(src, '.slipway/certs/ca.pem', 'd');
    expect(() => lstatSync(join(base, 'host', 'created-by-the-attack'))).toThrow();
    expect(['Dockerfile', 'nginx.conf', 'ca.pem', '.slipway/certs/ca.pem'].map((f) => readFileSync(join(src, f), 'utf8'))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('refuses when a parent folder is a link, even one that stays inside', async () => {
    mkdirSync(join(src, 'real'));
    symlinkSync(join(base, 'host'), join(src, 'conf'));
    symlinkSync('real', join(src, 'inner'));
    await expect(writeGeneratedFile(src, 'conf/master.key', 'overwritten')).rejects.toThrow(/The folder conf, where Slipway writes conf\/master.key, is a symbolic link/);
    await expect(writeGeneratedFile(src, 'inner/nginx.conf', 'x')).rejects.toThrow(UnsafeSourceError);
    expect(readFileSync(secret, 'utf8')).toBe('MASTER-KEY-BYTES');
  });

  it('refuses a context folder that is itself a link', async () => {
    symlinkSync(join(base, 'host'), join(src, 'ctx'));
    await expect(writeGeneratedFile(join(src, 'ctx'), 'master.key', 'x')).rejects.toThrow(/The build context, where Slipway writes master.key, is a symbolic link/);
    expect(readFileSync(secret, 'utf8')).toBe('MASTER-KEY-BYTES');
    expect(readlinkSync(join(src, 'ctx'))).toBe(join(base, 'host'));
  });
});

describe('checkedContextFolder: build.context must be a real folder of the tree', () => {
  it('returns the folder for `.` and for a real sub-folder', async () => {
    mkdirSync(join(src, 'apps/web'), { recursive: true });
    expect(await checkedContextFolder(src, '.')).toBe(src);
    expect(await checkedContextFolder(src, './apps/web/')).toBe(join(src, 'apps/web'));
  });

  it('refuses a link to /, a path through a link, a file, a missing folder and a path out', async () => {
    symlinkSync('/', join(src, 'ctx'));
    mkdirSync(join(src, 'real/app'), { recursive: true });
    symlinkSync('real', join(src, 'via'));
    writeFileSync(join(src, 'file'), '');
    await expect(checkedContextFolder(src, 'ctx')).rejects.toThrow('build.context "ctx" is a symbolic link');
    await expect(checkedContextFolder(src, 'via/app')).rejects.toThrow('The folder via, on the way to build.context "via/app", is a symbolic link');
    await expect(checkedContextFolder(src, 'file')).rejects.toThrow('is a file, not a folder');
    await expect(checkedContextFolder(src, 'nope')).rejects.toThrow('does not exist in this commit');
    await expect(checkedContextFolder(src, '../host')).rejects.toThrow('must be a relative path inside the repository');
  });
});
