import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Child {
  process: ChildProcess;
  /** What the child reported when ready (its URL). */
  url: string;
  /** CPU time the child has used so far, in milliseconds (user + system). */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

/** SIGTERM, then SIGKILL after 5 s; resolves once the process has exited. */
export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      done();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Runs a bench helper (TypeScript through tsx, or plain JavaScript) in its own process and waits for its
 * `{ ready: url }` message. Children die with the bench.
 */
export function startChild(
  script: URL,
  args: string[],
  env: Record<string, string> = {},
  options: { timeoutMs?: number; execArgv?: string[] } = {},
): Promise<Child> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(script), args, {
      // BENCH_NODE_ARGS adds node flags to every child, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
      execArgv: [
        ...(script.pathname.endsWith('.ts') ? ['--import', 'tsx'] : []),
        ...(options.execArgv ?? []),
        ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      ],
      env: { ...process.env, LOG_LEVEL: 'silent', NODE_ENV: 'production', ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script.pathname} ${args.join(' ')} did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`${script.pathname} ${args.join(' ')} exited with ${code} before it was ready`));
    };
    child.once('exit', onExit);
    child.on('message', (message: { ready?: string }) => {
      if (!message?.ready) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve({
        process: child,
        url: message.ready,
        cpuMs: () =>
          new Promise<number>((done) => {
            const onMessage = (reply: { cpu?: NodeJS.CpuUsage }) => {
              if (!reply?.cpu) return;
              child.off('message', onMessage);
              done((reply.cpu.user + reply.cpu.system) / 1000);
            };
            child.on('message', onMessage);
            child.send('cpu');
          }),
        stop: () => stopChild(child),
      });
    });
    process.once('exit', () => child.kill('SIGKILL'));
  });
}
