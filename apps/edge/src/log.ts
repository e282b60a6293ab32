type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** One JSON line per event on stdout/stderr; nothing on the request path logs. */
export function createLogger(level: Level = 'info'): Logger {
  const min = ORDER[level];
  const at =
    (l: Level) =>
    (msg: string, fields?: Record<string, unknown>): void => {
      if (ORDER[l] < min) return;
      const line = JSON.stringify({ time: new Date().toISOString(), level: l, service: 'edge', msg, ...fields });
      (ORDER[l] >= ORDER.warn ? process.stderr : process.stdout).write(line + '\n');
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
