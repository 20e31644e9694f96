import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs, one line per event; `LOG_LEVEL` sets the threshold. */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime });
}
