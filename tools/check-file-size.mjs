#!/usr/bin/env node
// Keeps files small enough to read in one sitting (CONVENTIONS.md #1, #10): source files in
// apps/ and libs/ over 300 lines get a warning, over 600 lines fail `npm run lint`.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const WARN = 300;
const FAIL = 600;
const SOURCE = /\.(ts|tsx|js|jsx|mjs|cjs)$/;
// Generated or installed code is not ours to split.
const SKIP_DIRS = new Set(['node_modules', 'dist', '.next', 'generated', 'coverage', '.nx', '.turbo']);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** @param {string} dir @returns {Generator<string>} */
function* sourceFiles(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // folder absent
  }
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) yield* sourceFiles(full);
    } else if (SOURCE.test(e.name) && !e.name.endsWith('.d.ts')) {
      yield full;
    }
  }
}

let failed = 0;
let warned = 0;
for (const top of ['apps', 'libs']) {
  for (const file of sourceFiles(path.join(root, top))) {
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    const rel = path.relative(root, file);
    if (lines > FAIL) {
      failed++;
      console.error(`error  ${rel}: ${lines} lines (limit ${FAIL}); split it (e.g. use-cases/<verb-noun>.ts)`);
    } else if (lines > WARN) {
      warned++;
      console.warn(`warn   ${rel}: ${lines} lines (over ${WARN}); consider splitting`);
    }
  }
}
if (failed || warned) console.log(`file sizes: ${failed} over ${FAIL} lines, ${warned} over ${WARN}`);
process.exit(failed ? 1 : 0);
