// Resident memory of a bench child, from the kernel's own accounting (Linux /proc), so that a
// process blocked on its event loop is measured as well as one that answers.
import { readFile, writeFile } from 'node:fs/promises';

const MiB = 1024;

/** VmRSS and VmHWM (peak RSS since start or the last reset) of a process, in MiB. */
export async function residentMiB(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kib('VmRSS') / MiB, peak: kib('VmHWM') / MiB };
}

/** Sets VmHWM back to the current RSS (Linux 4.0+, own processes only); false where not allowed. */
async function resetPeak(pid: number): Promise<boolean> {
  try {
    await writeFile(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * The peak RSS of `pid` from now until `stop()`: the kernel's VmHWM when it can be reset for the
 * window, and in any case the highest VmRSS polled every `everyMs` (a short spike between polls is
 * only seen through VmHWM).
 */
export async function watchPeak(pid: number, everyMs = 25): Promise<{ stop(): Promise<number> }> {
  const exact = await resetPeak(pid);
  let highest = 0;
  const poll = async () => {
    const { rss } = await residentMiB(pid).catch(() => ({ rss: 0 }));
    highest = Math.max(highest, rss);
  };
  await poll();
  const timer = setInterval(() => void poll(), everyMs);
  return {
    async stop() {
      clearInterval(timer);
      await poll();
      const peak = exact ? (await residentMiB(pid).catch(() => ({ peak: 0 }))).peak : 0;
      return Math.max(highest, peak);
    },
  };
}
