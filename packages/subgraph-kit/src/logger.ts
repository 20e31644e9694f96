import { parseSettings } from '@dataos/settings';
import { pino, type Logger } from 'pino';
import { KIT_SETTINGS } from './settings.js';

export type { Logger };

/** Structured JSON logs, one line per event; `LOG_LEVEL` sets the threshold. */
export function createLogger(
  service: string,
  level: string = parseSettings({ LOG_LEVEL: KIT_SETTINGS.LOG_LEVEL }).LOG_LEVEL,
): Logger {
  return pino({ level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime });
}
