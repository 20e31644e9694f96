import type { Logger } from '@dataos/subgraph-kit';
import type { Redactable } from './redact.js';
import { StreamExporter, WebhookExporter, type DecisionExporter } from './sinks.js';

export type { DecisionExporter, ExportStats } from './sinks.js';

export interface ExportSettings {
  /** `''`/`none`, `stdout`, `file:<path>` or an http(s) webhook URL (HEIMDALL_DECISION_EXPORT). */
  target: string;
  redact: Redactable[];
  batch: number;
  queue: number;
}

/** Why `target` is not a sink, or null. */
export function exportTargetProblem(target: string): string | null {
  if (target === '' || target === 'none' || target === 'stdout') return null;
  if (target.startsWith('file:'))
    return target.length > 5 ? null : 'file: needs a path (file:/var/log/decisions.jsonl)';
  try {
    const url = new URL(target);
    if (url.protocol === 'http:' || url.protocol === 'https:') return null;
  } catch {
    // not a URL
  }
  return 'one of none, stdout, file:<path>, or an http(s) webhook URL';
}

/** The exporter the settings ask for, or null when decisions are not exported. */
export function createExporter(settings: ExportSettings, logger: Logger): DecisionExporter | null {
  const { target } = settings;
  const redact = new Set(settings.redact);
  if (target === '' || target === 'none') return null;
  if (target === 'stdout') return new StreamExporter('stdout', redact, logger);
  if (target.startsWith('file:')) return new StreamExporter({ file: target.slice(5) }, redact, logger);
  return new WebhookExporter(
    {
      url: target,
      batch: settings.batch,
      queue: settings.queue,
      attempts: 3,
      retryMs: 500,
      timeoutMs: 5000,
      flushMs: 1000,
    },
    redact,
    logger,
  );
}
