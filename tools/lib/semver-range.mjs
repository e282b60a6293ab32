// Just enough semver to read an `engines.node` range and pick the newest release of a package
// (these scripts run before `npm ci`, so the `semver` package is not there yet). Supports
// `||`, space-separated comparators (`>=20.17.0 <21`), `^`, `~`, `=`, `<`, `<=`, `>`, `>=` and
// x-ranges (`20`, `20.x`, `*`); anything else (hyphen ranges, pre-releases) throws.

/** @param {string} version e.g. "24.22.3" or "v24.22.3" @returns {[number, number, number]} */
export function parseVersion(version) {
  const m = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(version.trim());
  if (!m) throw new Error(`not a release version: ${version}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** <0, 0 or >0, like a sort comparator. */
export function compareVersions(a, b) {
  const [x, y] = [parseVersion(a), parseVersion(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/** The highest of `versions` (pre-releases skipped), or null. */
export function maxVersion(versions) {
  const releases = versions.filter((v) => /^v?\d+\.\d+\.\d+$/.test(v));
  return releases.length ? releases.reduce((a, b) => (compareVersions(a, b) >= 0 ? a : b)) : null;
}

const COMPARATOR = /^(\^|~|>=|<=|>|<|=)?v?(\d+|x|X|\*)(?:\.(\d+|x|X|\*))?(?:\.(\d+|x|X|\*))?$/;
const wild = (part) => part === undefined || part === 'x' || part === 'X' || part === '*';

/** One comparator as [low (inclusive) | null, high (exclusive) | null] bounds on [major, minor, patch]. */
function bounds(text) {
  const m = COMPARATOR.exec(text);
  if (!m) throw new Error(`unsupported version range: ${text}`);
  const [, op = '=', a, b, c] = m;
  if (wild(a)) return op === '<' || op === '>' ? [[Infinity, 0, 0], null] : [null, null]; // "*": anything
  const major = Number(a);
  const minor = wild(b) ? null : Number(b);
  const patch = wild(c) ? null : Number(c);
  const low = [major, minor ?? 0, patch ?? 0];
  // The first version past a partial one: 20 → 21.0.0, 20.3 → 20.4.0.
  const next = minor === null ? [major + 1, 0, 0] : patch === null ? [major, minor + 1, 0] : [major, minor, patch + 1];
  switch (op) {
    case '^':
      return [low, major > 0 || minor === null ? [major + 1, 0, 0] : minor > 0 || patch === null ? [0, minor + 1, 0] : [0, 0, patch + 1]];
    case '~':
      return [low, minor === null ? [major + 1, 0, 0] : [major, minor + 1, 0]];
    case '>=':
      return [low, null];
    case '>':
      return [next, null];
    case '<':
      return [null, low];
    case '<=':
      return [null, next];
    default:
      return [low, next];
  }
}

const cmp = (x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2];

/** True when `version` satisfies `range` (an empty range or "*" allows anything). */
export function satisfies(version, range) {
  const v = parseVersion(version);
  return range
    .split('||')
    .map((set) => set.trim().split(/\s+/).filter(Boolean))
    .some((comparators) =>
      comparators.every((text) => {
        const [low, high] = bounds(text);
        return (low === null || cmp(v, low) >= 0) && (high === null || cmp(v, high) < 0);
      }),
    );
}
