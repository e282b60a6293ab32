import type { BuildableRecipe } from './detect';
import type { NodeToolchain, PlanStep } from './node-plan';
import type { NodeVersionChoice } from './node-version';

/**
 * The build plan as `label value (why)` rows, printed in the push output before the build and
 * stored with the release: which builder, Node version, install, build, prune and start
 * commands, and why each was chosen.
 */
export function describePlan(recipe: BuildableRecipe): [label: string, value: string][] {
  if (recipe.kind === 'dockerfile') return [['builder', `Dockerfile (${recipe.dockerfile})`]];
  if (recipe.kind === 'static') {
    const serve = `${recipe.root === '.' ? 'the repository root' : `${recipe.root}/`} with nginx${recipe.spa ? ', unknown paths answer index.html (single-page app)' : ''}`;
    if (!recipe.toolchain) return [['builder', 'static site (committed files)'], ['serve', serve]];
    return [['builder', `static site built by ${recipe.framework ?? 'Node.js'}`], ...toolchainRows(recipe.toolchain), ['serve', serve]];
  }
  const output = recipe.output === 'next-standalone' ? ' (standalone output)' : '';
  return [
    ['builder', `Node.js${recipe.framework ? `: ${recipe.framework}${output}` : ''}`],
    ...toolchainRows(recipe),
    ...(recipe.prune ? ([['prune', step(recipe.prune)]] as [string, string][]) : []),
    ['start', step(recipe.start)],
  ];
}

/** The rows as build-log lines, aligned. */
export function planLines(recipe: BuildableRecipe): string[] {
  return describePlan(recipe).map(([label, value]) => `${label.padEnd(8)} ${value}`);
}

function toolchainRows(toolchain: NodeToolchain): [string, string][] {
  const rows: [string, string][] = [['node', nodeVersion(toolchain.node)]];
  rows.push(['install', toolchain.install ? step(toolchain.install) : 'nothing to install (no dependencies)']);
  if (toolchain.build) rows.push(['build', step(toolchain.build)]);
  return rows;
}

function nodeVersion(node: NodeVersionChoice): string {
  if (node.source === 'default') return `${node.major} (the default; set engines.node or build.node to choose)`;
  return `${node.major} (${node.source} "${node.requested}")`;
}

const step = (s: PlanStep) => `${s.command}  (${s.why})`;
