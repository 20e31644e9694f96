import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/** How soon a service that died is started again: 0.5 s, doubling, at most 10 s. */
export function backoffMs(restarts: number, baseMs = 500, maxMs = 10_000): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, restarts));
}

/** A crash loop: more than `max` exits within `windowMs` of each other. */
export function isCrashLoop(exits: readonly number[], now: number, max = 5, windowMs = 60_000): boolean {
  return exits.filter((t) => now - t <= windowMs).length > max;
}

export interface ServiceSpec {
  name: string;
  command: string;
  args: string[];
  options?: SpawnOptions;
}

export interface SupervisorOptions {
  log?: (line: string) => void;
  /** After SIGTERM, how long a child has before SIGKILL (ms). */
  graceMs?: number;
  backoff?: (restarts: number) => number;
  crashLoop?: (exits: readonly number[], now: number) => boolean;
}

interface Supervised {
  spec: ServiceSpec;
  child?: ChildProcess;
  exits: number[];
  restarts: number;
  timer?: NodeJS.Timeout;
  gaveUp: boolean;
}

/**
 * Keeps services running: one that exits is started again after a backoff (logged with its exit
 * code or signal); a crash loop gives up on that service alone, with a message, and leaves the
 * others running. `stop()` sends SIGTERM to every child, SIGKILL to those still there after the
 * grace period, and resolves once all are gone; a second `stop()` kills at once.
 */
export class Supervisor {
  private readonly services = new Map<string, Supervised>();
  private stopping?: Promise<void>;
  private readonly log: (line: string) => void;
  private readonly graceMs: number;

  constructor(private readonly options: SupervisorOptions = {}) {
    this.log = options.log ?? ((line) => console.log(line));
    this.graceMs = options.graceMs ?? 5000;
  }

  start(spec: ServiceSpec): ChildProcess {
    const entry: Supervised = { spec, exits: [], restarts: 0, gaveUp: false };
    this.services.set(spec.name, entry);
    return this.spawn(entry);
  }

  /** The live child of a service, if any. */
  child(name: string): ChildProcess | undefined {
    return this.services.get(name)?.child;
  }

  gaveUp(name: string): boolean {
    return this.services.get(name)?.gaveUp ?? false;
  }

  private spawn(entry: Supervised): ChildProcess {
    const child = spawn(entry.spec.command, entry.spec.args, entry.spec.options ?? {});
    entry.child = child;
    child.once('exit', (code, signal) => {
      if (entry.child === child) entry.child = undefined;
      if (this.stopping) return;
      const now = Date.now();
      entry.exits.push(now);
      const how = signal ? `signal ${signal}` : `code ${code}`;
      if ((this.options.crashLoop ?? isCrashLoop)(entry.exits, now)) {
        entry.gaveUp = true;
        this.log(
          `[dev] ${entry.spec.name} exited (${how}) ${entry.exits.length} times in a row: giving up on it; fix it and restart npm run dev`,
        );
        return;
      }
      const delay = (this.options.backoff ?? backoffMs)(entry.restarts++);
      this.log(`[dev] ${entry.spec.name} exited (${how}); starting it again in ${delay} ms`);
      entry.timer = setTimeout(() => {
        entry.timer = undefined;
        if (!this.stopping) this.spawn(entry);
      }, delay);
    });
    return child;
  }

  stop(): Promise<void> {
    if (this.stopping) {
      // Asked again while stopping: no more waiting.
      for (const { child } of this.services.values()) child?.kill('SIGKILL');
      return this.stopping;
    }
    this.stopping = Promise.all(
      [...this.services.values()].map((entry) => {
        if (entry.timer) clearTimeout(entry.timer);
        const child = entry.child;
        if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
        return new Promise<void>((resolve) => {
          const force = setTimeout(() => child.kill('SIGKILL'), this.graceMs);
          child.once('exit', () => {
            clearTimeout(force);
            resolve();
          });
          child.kill('SIGTERM');
        });
      }),
    ).then(() => undefined);
    return this.stopping;
  }
}
