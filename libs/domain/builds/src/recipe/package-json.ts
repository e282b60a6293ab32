import type { SourceTree } from './source-tree';

/** The parts of package.json detection reads, checked for type. */
export interface PackageJson {
  scripts: Record<string, string>;
  main?: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  /** `engines.node`, when it is text. */
  enginesNode?: string;
  /** `packageManager` (`pnpm@9.12.0`), when it is text. */
  packageManager?: string;
  /** A workspace root (npm/yarn `workspaces`): installs need every member's package.json. */
  workspaces: boolean;
}

export type PackageJsonResult = { kind: 'absent' } | { kind: 'found'; manifest: PackageJson } | { kind: 'invalid'; reason: string };

/** Reads and checks a package.json; a problem comes back as a reason naming the file and the fix. */
export async function readPackageJson(tree: SourceTree, fileName: string): Promise<PackageJsonResult> {
  const text = await tree.readFile(fileName);
  if (text === null) return { kind: 'absent' };
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    return { kind: 'invalid', reason: `${fileName} is not valid JSON (${jsonProblem(text, err)}). Fix the JSON and push again.` };
  }
  if (!isRecord(value))
    return { kind: 'invalid', reason: `${fileName} must hold a JSON object ({ "name": …, "scripts": { "start": … } }).` };
  const scripts = value.scripts ?? {};
  if (!isRecord(scripts))
    return { kind: 'invalid', reason: `${fileName}: "scripts" must be an object, e.g. { "start": "node server.js" }.` };
  for (const [name, script] of Object.entries(scripts)) {
    if (typeof script !== 'string') return { kind: 'invalid', reason: `${fileName}: scripts.${name} must be a string command.` };
  }
  const main = typeof value.main === 'string' && value.main.trim() !== '' ? value.main.trim() : undefined;
  const manifest: PackageJson = {
    scripts: scripts as Record<string, string>,
    main,
    dependencies: stringRecord(value.dependencies),
    devDependencies: stringRecord(value.devDependencies),
    workspaces: Array.isArray(value.workspaces) || isRecord(value.workspaces),
  };
  const engines = isRecord(value.engines) ? value.engines.node : undefined;
  if (typeof engines === 'string' && engines.trim() !== '') manifest.enginesNode = engines.trim();
  if (typeof value.packageManager === 'string' && value.packageManager.trim() !== '') manifest.packageManager = value.packageManager.trim();
  return { kind: 'found', manifest };
}

/** Dependency maps with their non-text entries dropped (a hand-edited package.json may hold anything). */
function stringRecord(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** V8's message plus the line and column it points at, when the message gives a position only. */
function jsonProblem(text: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const position = /at position (\d+)/.exec(message);
  if (!position || /line \d+/.test(message)) return message;
  const before = text.replace(/^\uFEFF/, '').slice(0, Number(position[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${message.replace(/ in JSON at position \d+.*$/, '')} at line ${line}, column ${column}`;
}
