// Console output for the set-up scripts: coloured only on a terminal (or FORCE_COLOR), so CI
// logs stay plain text that is easy to grep.
import { performance } from 'node:perf_hooks';

const useColour = (process.stdout.isTTY && !process.env.NO_COLOR) || Boolean(process.env.FORCE_COLOR);
const code = (open) => (text) => (useColour ? `\x1b[${open}m${text}\x1b[0m` : String(text));

export const colour = {
  bold: code('1'),
  dim: code('2'),
  red: code('31'),
  green: code('32'),
  yellow: code('33'),
  blue: code('34'),
  magenta: code('35'),
  cyan: code('36'),
};

/** Seconds since `start` (a performance.now() value), e.g. "3.2 s". */
export const since = (start) => `${((performance.now() - start) / 1000).toFixed(1)} s`;

/**
 * The logger every tool function takes, so library code never decides where output goes.
 * @typedef {{ step(msg: string): void, info(msg: string): void, warn(msg: string): void, error(msg: string): void }} Log
 * @returns {Log}
 */
export function createLog(prefix = 'slipway') {
  const tag = colour.bold(`[${prefix}]`);
  return {
    step: (msg) => console.log(`${tag} ${colour.cyan('›')} ${msg}`),
    info: (msg) => console.log(`${tag}   ${msg}`),
    warn: (msg) => console.warn(`${tag} ${colour.yellow('!')} ${colour.yellow(msg)}`),
    error: (msg) => console.error(`${tag} ${colour.red('✖')} ${colour.red(msg)}`),
  };
}

/** Thrown for problems the user must fix; the scripts print the message alone, no stack. */
export class SetupError extends Error {
  name = 'SetupError';
}
