import semver from 'semver';
import { SLIPWAY_YAML } from './slipway-yaml.schema';

/** The Node majors Slipway builds on, newest first; the first is the default (the current LTS). */
export const SUPPORTED_NODE_MAJORS = [24, 22, 20] as const;
export type NodeMajor = (typeof SUPPORTED_NODE_MAJORS)[number];
export const DEFAULT_NODE_MAJOR: NodeMajor = 24;

/** Where the version came from, in the order they are consulted. */
export type NodeVersionSource = 'build.node' | 'engines.node' | '.nvmrc' | '.node-version' | 'default';

export interface NodeVersionChoice {
  major: NodeMajor;
  source: NodeVersionSource;
  /** What the source asked for, as written (absent for the default). */
  requested?: string;
  /** Set when the request could not be met exactly (an unsupported major, an unreadable range). */
  warning?: string;
}

export interface NodeVersionInputs {
  /** `build.node` from slipway.yaml. */
  configured?: string;
  /** `engines.node` from package.json. */
  engines?: string;
  nvmrc?: string | null;
  nodeVersionFile?: string | null;
}

/** LTS codenames nvm understands (`lts/iron`), for the majors we have and the ones near them. */
const LTS_CODENAMES: Record<string, number> = { hydrogen: 18, iron: 20, jod: 22, krypton: 24 };

/**
 * The Node major to build with: `build.node`, else `engines.node`, else `.nvmrc`, else
 * `.node-version`, else 24. A range picks the newest supported major it allows (`>=18` → 24,
 * `^20.11` → 20); a request no supported major meets (`18.x`, `16`) builds on the nearest
 * supported one with a warning, the way Railpack and Render fall back rather than fail.
 */
export function selectNodeVersion(inputs: NodeVersionInputs): NodeVersionChoice {
  const candidates: [NodeVersionSource, string | null | undefined][] = [
    ['build.node', inputs.configured],
    ['engines.node', inputs.engines],
    ['.nvmrc', firstLine(inputs.nvmrc)],
    ['.node-version', firstLine(inputs.nodeVersionFile)],
  ];
  for (const [source, raw] of candidates) {
    const requested = raw?.trim();
    if (!requested) continue;
    return { source, requested, ...resolveRequest(requested, source) };
  }
  return { major: DEFAULT_NODE_MAJOR, source: 'default' };
}

function resolveRequest(requested: string, source: NodeVersionSource): { major: NodeMajor; warning?: string } {
  const where = source === 'build.node' ? `build.node in ${SLIPWAY_YAML}` : source;
  const range = toRange(requested);
  if (range === null) {
    return {
      major: DEFAULT_NODE_MAJOR,
      warning: `${where} asks for Node "${requested}", which is not a version or range Slipway understands; building on Node ${DEFAULT_NODE_MAJOR}. Write a major (24) or a range (>=20).`,
    };
  }
  const allowed = SUPPORTED_NODE_MAJORS.find((major) => semver.intersects(range, `${major}.x`, { loose: true }));
  if (allowed) return { major: allowed };
  const wanted = semver.minVersion(range, { loose: true })?.major ?? DEFAULT_NODE_MAJOR;
  const nearest = [...SUPPORTED_NODE_MAJORS].sort((a, b) => Math.abs(a - wanted) - Math.abs(b - wanted) || b - a)[0]!;
  return {
    major: nearest,
    warning: `${where} asks for Node "${requested}", which Slipway does not build (supported: ${SUPPORTED_NODE_MAJORS.join(', ')}); building on Node ${nearest}, the nearest. Update ${where} to a supported major.`,
  };
}

/** nvm-style requests (`v20.11.0`, `lts/iron`, `node`) as a semver range; null when unreadable. */
function toRange(requested: string): string | null {
  const text = requested.toLowerCase();
  if (text === 'node' || text === 'latest' || text === 'current' || text === 'lts/*' || text === 'lts') return `${DEFAULT_NODE_MAJOR}.x`;
  const lts = /^lts\/([a-z]+)$/.exec(text);
  if (lts) {
    const major = LTS_CODENAMES[lts[1]!];
    return major ? `${major}.x` : null;
  }
  const range = semver.validRange(text.replace(/^v(?=\d)/, ''), { loose: true });
  return range;
}

/** `.nvmrc` may carry comments and blank lines; the first meaningful line is the request. */
function firstLine(text: string | null | undefined): string | undefined {
  if (!text) return undefined;
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*$/, '').trim())
    .find((line) => line !== '');
}
