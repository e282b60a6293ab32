import type { LogLevel } from '@nestjs/common';
import type { Config } from './schema';

const LEVELS: Record<Config['LOG_LEVEL'], LogLevel[]> = {
  debug: ['debug', 'log', 'warn', 'error', 'fatal'],
  info: ['log', 'warn', 'error', 'fatal'],
  warn: ['warn', 'error', 'fatal'],
  error: ['error', 'fatal'],
};

/** Nest logger levels for LOG_LEVEL, so every process honours the same variable. */
export const nestLogLevels = (level: Config['LOG_LEVEL']): LogLevel[] => LEVELS[level];
