import { describe, expect, it } from 'vitest';
import { detectPackageManager, packageManagerCommands, type PackageManagerChoice, type PackageManagerInputs } from './package-manager';

const inputs = (over: Partial<PackageManagerInputs> = {}): PackageManagerInputs => ({ lockfiles: new Set(), yarnrcYml: false, ...over });
const choose = (over: Partial<PackageManagerInputs>) => {
  const result = detectPackageManager(inputs(over));
  if (!result.ok) throw new Error(result.reason);
  return result;
};

describe('detectPackageManager', () => {
  it('is npm without a lockfile', () => {
    expect(choose({})).toEqual({ ok: true, choice: { name: 'npm', berry: false, lockfile: null, source: 'default' }, warnings: [] });
  });

  it.each([
    ['package-lock.json', 'npm'],
    ['npm-shrinkwrap.json', 'npm'],
    ['yarn.lock', 'yarn'],
    ['pnpm-lock.yaml', 'pnpm'],
    ['bun.lockb', 'bun'],
    ['bun.lock', 'bun'],
  ])('reads %s as %s', (lockfile, name) => {
    expect(choose({ lockfiles: new Set([lockfile]) }).choice).toMatchObject({ name, lockfile, source: 'lockfile' });
  });

  it('tells Yarn classic from Yarn 2+ by .yarnrc.yml or the lockfile format', () => {
    expect(choose({ lockfiles: new Set(['yarn.lock']), yarnLockHead: '# yarn lockfile v1\n\nexpress@^4:' }).choice.berry).toBe(false);
    expect(choose({ lockfiles: new Set(['yarn.lock']), yarnLockHead: '# This file is generated…\n\n__metadata:\n  version: 8' }).choice.berry).toBe(true);
    expect(choose({ lockfiles: new Set(['yarn.lock']), yarnrcYml: true }).choice.berry).toBe(true);
  });

  it('picks the pnpm major that wrote the lockfile', () => {
    expect(choose({ lockfiles: new Set(['pnpm-lock.yaml']), pnpmLockHead: "lockfileVersion: '9.0'\n" }).choice.version).toBeUndefined();
    expect(choose({ lockfiles: new Set(['pnpm-lock.yaml']), pnpmLockHead: "lockfileVersion: '6.0'\n" }).choice.version).toBe('8');
    expect(choose({ lockfiles: new Set(['pnpm-lock.yaml']), pnpmLockHead: 'lockfileVersion: 5.4\n' }).choice.version).toBe('7');
  });

  it('follows packageManager, and says which lockfiles it ignores', () => {
    const result = choose({ packageManagerField: 'pnpm@9.12.3+sha512.abcdef0123', lockfiles: new Set(['pnpm-lock.yaml', 'package-lock.json']) });
    expect(result.choice).toEqual({ name: 'pnpm', version: '9.12.3', berry: false, lockfile: 'pnpm-lock.yaml', source: 'packageManager' });
    expect(result.warnings).toEqual(['package.json "packageManager" is pnpm, so package-lock.json is ignored; delete it to keep one source of truth.']);
    expect(choose({ packageManagerField: 'yarn@4.5.1' }).choice).toMatchObject({ name: 'yarn', berry: true, lockfile: null });
    expect(choose({ packageManagerField: 'yarn@1.22.22' }).choice.berry).toBe(false);
  });

  it('warns when several managers\' lockfiles are committed', () => {
    const result = choose({ lockfiles: new Set(['package-lock.json', 'yarn.lock']) });
    expect(result.choice.name).toBe('yarn');
    expect(result.warnings[0]).toMatch(/^Found yarn.lock and package-lock.json; installing with yarn \(yarn.lock\)/);
  });

  it.each(['cnpm@9.0.0', 'pnpm', 'npm@latest', 'yarn@^4'])('refuses packageManager %j with the format to use', (field) => {
    const result = detectPackageManager(inputs({ packageManagerField: field }));
    expect(result).toEqual({ ok: false, reason: expect.stringContaining(`"packageManager" is "${field}", which Slipway cannot use. Write "<npm|yarn|pnpm|bun>@<version>"`) });
  });
});

describe('packageManagerCommands', () => {
  const pm = (over: Partial<PackageManagerChoice>): PackageManagerChoice => ({ name: 'npm', berry: false, lockfile: 'package-lock.json', source: 'lockfile', ...over });

  it('installs from the lockfile exactly, and without one as the manager resolves', () => {
    expect(packageManagerCommands(pm({})).install).toBe('npm ci');
    expect(packageManagerCommands(pm({ lockfile: null, source: 'default' })).install).toBe('npm install');
    expect(packageManagerCommands(pm({ name: 'yarn', lockfile: 'yarn.lock' })).install).toBe('yarn install --frozen-lockfile');
    expect(packageManagerCommands(pm({ name: 'yarn', berry: true, lockfile: 'yarn.lock' })).install).toBe('yarn install --immutable');
    expect(packageManagerCommands(pm({ name: 'pnpm', lockfile: 'pnpm-lock.yaml' })).install).toBe('pnpm install --frozen-lockfile');
  });

  it('sets up yarn and pnpm through Corepack, pinning a version only when packageManager does not', () => {
    expect(packageManagerCommands(pm({})).setup).toBeNull();
    expect(packageManagerCommands(pm({ name: 'pnpm', version: '9', lockfile: 'pnpm-lock.yaml' })).setup).toBe('corepack enable && corepack install -g pnpm@9');
    expect(packageManagerCommands(pm({ name: 'pnpm', version: '9.12.3', source: 'packageManager' })).setup).toBe('corepack enable');
    expect(packageManagerCommands(pm({ name: 'yarn', lockfile: 'yarn.lock' })).setup).toBe('corepack enable');
    expect(packageManagerCommands(pm({ name: 'yarn', berry: true, lockfile: 'yarn.lock' })).setup).toBe('corepack enable && corepack install -g yarn@stable');
    expect(packageManagerCommands(pm({ name: 'bun', lockfile: 'bun.lock' })).setup).toBe('npm install -g bun@latest');
  });

  it('prunes devDependencies where the manager can', () => {
    expect(packageManagerCommands(pm({})).prune).toBe('npm prune --omit=dev');
    expect(packageManagerCommands(pm({ name: 'pnpm' })).prune).toBe('pnpm prune --prod');
    expect(packageManagerCommands(pm({ name: 'yarn', lockfile: 'yarn.lock' })).prune).toBe('yarn install --production --frozen-lockfile --ignore-scripts --prefer-offline');
    expect(packageManagerCommands(pm({ name: 'yarn', berry: true })).prune).toBeNull();
    expect(packageManagerCommands(pm({ name: 'bun' })).prune).toBeNull();
  });
});
