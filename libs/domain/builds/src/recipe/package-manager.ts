export type PackageManagerName = 'npm' | 'yarn' | 'pnpm' | 'bun';

export interface PackageManagerChoice {
  name: PackageManagerName;
  /** The exact version `packageManager` pins (`9.12.0`), or a major picked from the lockfile (`9`). */
  version?: string;
  /** Yarn 2+ ("berry"): another CLI, another lockfile format, Plug'n'Play possible. */
  berry: boolean;
  /** The lockfile the install trusts, relative to the app folder; null when there is none. */
  lockfile: string | null;
  source: 'packageManager' | 'lockfile' | 'default';
}

export type PackageManagerResult = { ok: true; choice: PackageManagerChoice; warnings: string[] } | { ok: false; reason: string };

export interface PackageManagerInputs {
  /** package.json's `packageManager`, e.g. `pnpm@9.12.0+sha512.…`. */
  packageManagerField?: string;
  /** Lockfile names present in the app folder. */
  lockfiles: ReadonlySet<string>;
  /** `.yarnrc.yml` exists (Yarn 2+ projects have one). */
  yarnrcYml: boolean;
  /** The first bytes of yarn.lock and pnpm-lock.yaml, when present (their format says the version). */
  yarnLockHead?: string | null;
  pnpmLockHead?: string | null;
}

/** Lockfiles in the order they decide the manager when `packageManager` is absent. */
const LOCKFILES: readonly [string, PackageManagerName][] = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
  ['yarn.lock', 'yarn'],
  ['npm-shrinkwrap.json', 'npm'],
  ['package-lock.json', 'npm'],
];
export const LOCKFILE_NAMES = LOCKFILES.map(([name]) => name);

const PACKAGE_MANAGER_FIELD = /^(npm|yarn|pnpm|bun)@(\d+(?:\.\d+){0,2}(?:-[0-9A-Za-z.-]+)?)(?:\+[A-Za-z0-9.=:+/-]+)?$/;

/**
 * Which package manager installs the app: package.json's `packageManager` (what Corepack
 * honours), else the lockfile (pnpm, bun, yarn, npm — Railpack's order), else npm. A field
 * naming a manager Slipway cannot run is an error the user must fix; several lockfiles are a
 * warning naming the one used.
 */
export function detectPackageManager(inputs: PackageManagerInputs): PackageManagerResult {
  const warnings: string[] = [];
  const present = LOCKFILES.filter(([name]) => inputs.lockfiles.has(name));
  const field = inputs.packageManagerField?.trim();
  if (field) {
    const match = PACKAGE_MANAGER_FIELD.exec(field);
    if (!match) {
      return {
        ok: false,
        reason: `package.json "packageManager" is "${field}", which Slipway cannot use. Write "<npm|yarn|pnpm|bun>@<version>" (e.g. "pnpm@9.12.0"), or remove the field to detect the manager from the lockfile.`,
      };
    }
    const name = match[1] as PackageManagerName;
    const version = match[2]!;
    const own = present.find(([, manager]) => manager === name)?.[0] ?? null;
    const others = present.filter(([, manager]) => manager !== name).map(([file]) => file);
    if (others.length) warnings.push(`package.json "packageManager" is ${name}, so ${others.join(' and ')} ${others.length === 1 ? 'is' : 'are'} ignored; delete ${others.length === 1 ? 'it' : 'them'} to keep one source of truth.`);
    const berry = name === 'yarn' && Number.parseInt(version, 10) >= 2;
    return { ok: true, choice: { name, version, berry, lockfile: own, source: 'packageManager' }, warnings };
  }

  const [first, ...rest] = present;
  if (!first) return { ok: true, choice: { name: 'npm', berry: false, lockfile: null, source: 'default' }, warnings };
  const [lockfile, name] = first;
  const ignored = rest.filter(([, manager]) => manager !== name).map(([file]) => file);
  if (ignored.length) warnings.push(`Found ${[lockfile, ...ignored].join(' and ')}; installing with ${name} (${lockfile}). Delete the lockfiles you do not use, or set "packageManager" in package.json.`);
  const choice: PackageManagerChoice = { name, berry: false, lockfile, source: 'lockfile' };
  if (name === 'yarn') choice.berry = inputs.yarnrcYml || /^__metadata:/m.test(inputs.yarnLockHead ?? '');
  if (name === 'pnpm') {
    const version = pnpmMajorForLockfile(inputs.pnpmLockHead);
    if (version) choice.version = version;
  }
  return { ok: true, choice, warnings };
}

/**
 * The pnpm major an older lockfile needs (`lockfileVersion: '6.0'` → 8, `5.4` → 7): a newer pnpm
 * refuses it under --frozen-lockfile. Format 9 is read by pnpm 9 and every later major, so it
 * pins nothing and Corepack's own pinned release (with its hash) installs it.
 */
function pnpmMajorForLockfile(head: string | null | undefined): string | undefined {
  const match = /^lockfileVersion:\s*['"]?(\d+)(?:\.\d+)?/m.exec(head ?? '');
  if (!match) return undefined;
  const format = Number(match[1]);
  if (format >= 9) return undefined;
  if (format >= 6) return '8';
  return '7';
}

/** The command lines of each step for a manager; `null` = the step is skipped. */
export interface PackageManagerCommands {
  /** Makes the manager's CLI available (Corepack, or npm for bun); null when the image has it. */
  setup: string | null;
  install: string;
  run: (script: string) => string;
  /** Removes devDependencies after the build; null when the manager has no safe way. */
  prune: string | null;
}

export function packageManagerCommands(pm: PackageManagerChoice): PackageManagerCommands {
  const locked = pm.lockfile !== null;
  // Corepack reads `packageManager` itself; a version is pinned only when it came from elsewhere.
  const pin = pm.source === 'packageManager' ? undefined : pm.version;
  switch (pm.name) {
    case 'npm':
      return {
        setup: null,
        install: locked ? 'npm ci' : 'npm install',
        run: (script) => `npm run ${script}`,
        prune: 'npm prune --omit=dev',
      };
    case 'pnpm':
      return {
        setup: corepackSetup('pnpm', pin),
        install: locked ? 'pnpm install --frozen-lockfile' : 'pnpm install',
        run: (script) => `pnpm run ${script}`,
        prune: 'pnpm prune --prod',
      };
    case 'yarn':
      return pm.berry
        ? {
            setup: corepackSetup('yarn', pm.source === 'packageManager' ? undefined : (pin ?? 'stable')),
            install: locked ? 'yarn install --immutable' : 'yarn install',
            run: (script) => `yarn run ${script}`,
            // Yarn 2+ prunes only through `workspaces focus --production`, a plugin before Yarn 4.
            prune: null,
          }
        : {
            setup: corepackSetup('yarn', pin),
            install: locked ? 'yarn install --frozen-lockfile' : 'yarn install',
            run: (script) => `yarn run ${script}`,
            prune: `yarn install --production${locked ? ' --frozen-lockfile' : ''} --ignore-scripts --prefer-offline`,
          };
    case 'bun':
      return {
        // bun's own binary ships in the npm registry (@oven/bun-linux-x64), like Node's.
        setup: `npm install -g bun@${pm.version ?? 'latest'}`,
        install: locked ? 'bun install --frozen-lockfile' : 'bun install',
        run: (script) => `bun run ${script}`,
        prune: null,
      };
  }
}

/**
 * `corepack enable` makes the yarn/pnpm shims (node:*-slim images have none); pinning a version
 * is only needed when package.json does not (Corepack reads `packageManager` itself).
 */
function corepackSetup(name: 'yarn' | 'pnpm', version: string | undefined): string {
  return version ? `corepack enable && corepack install -g ${name}@${version}` : 'corepack enable';
}
