import { describe, expect, it } from 'vitest';
import { Supervisor, backoffMs, isCrashLoop } from '../scripts/lib/supervisor.js';

const node = (code: string) => ({
  command: process.execPath,
  args: ['-e', code],
  options: { stdio: 'ignore' as const },
});
const alive = (pid: number | undefined) => {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const until = async (check: () => boolean, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('the dev supervisor', () => {
  it('backs off exponentially up to a ceiling, and sees a crash loop in its window only', () => {
    expect([0, 1, 2, 3, 10].map((n) => backoffMs(n))).toEqual([500, 1000, 2000, 4000, 10_000]);
    const now = 100_000;
    expect(isCrashLoop([now - 5, now - 4, now - 3, now - 2, now - 1], now)).toBe(false);
    expect(isCrashLoop([now - 6, now - 5, now - 4, now - 3, now - 2, now - 1], now)).toBe(true);
    expect(isCrashLoop([now - 70_000, now - 5, now - 4, now - 3, now - 2, now - 1], now)).toBe(false);
  });

  it('starts a service that dies again, and gives up on a crash loop, leaving the others running', async () => {
    const lines: string[] = [];
    const sup = new Supervisor({
      log: (l) => lines.push(l),
      backoff: () => 10,
      crashLoop: (exits) => exits.length > 3,
    });
    const steady = sup.start({ name: 'steady', ...node('setInterval(() => {}, 1000)') });
    const first = sup.start({ name: 'flaky', ...node('setInterval(() => {}, 1000)') });
    first.kill('SIGKILL');
    await until(() => sup.child('flaky') !== undefined && sup.child('flaky') !== first);
    expect(lines[0]).toMatch(/flaky exited \(signal SIGKILL\); starting it again in 10 ms/);
    sup.start({ name: 'broken', ...node('process.exit(3)') });
    await until(() => sup.gaveUp('broken'));
    expect(lines.at(-1)).toMatch(/broken exited \(code 3\) 4 times in a row: giving up/);
    expect(alive(steady.pid)).toBe(true);
    await sup.stop();
    expect(alive(steady.pid)).toBe(false);
  });

  it('stops children that ignore SIGTERM after the grace period, and at once when asked again', async () => {
    const stubborn = "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)";
    const sup = new Supervisor({ log: () => {}, graceMs: 300 });
    const a = sup.start({ name: 'a', ...node(stubborn) });
    const b = sup.start({ name: 'b', ...node('setInterval(() => {}, 1000)') });
    await new Promise((r) => setTimeout(r, 300)); // let the handlers be installed
    const started = Date.now();
    await sup.stop();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(Date.now() - started).toBeLessThan(3000);
    expect([alive(a.pid), alive(b.pid)]).toEqual([false, false]);

    const again = new Supervisor({ log: () => {}, graceMs: 60_000 });
    const c = again.start({ name: 'c', ...node(stubborn) });
    await new Promise((r) => setTimeout(r, 300));
    const first = again.stop();
    const t = Date.now();
    await again.stop(); // the second Ctrl-C
    await first;
    expect(Date.now() - t).toBeLessThan(3000);
    expect(alive(c.pid)).toBe(false);
  });
});
