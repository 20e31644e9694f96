import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { DATA_DIR } from './paths.js';

const claimFile = (name: string) => `${DATA_DIR}/claims/${name}.pid`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Claims the start of a server on this machine (a file holding our pid): when two devstacks start
 * at once (two `npm test`s), only one spawns a server (Trino takes most of a minute to bind its
 * port, a long window); the other waits for it. A claim whose process is gone is taken over.
 */
export function claimStart(name: string): boolean {
  const file = claimFile(name);
  mkdirSync(`${DATA_DIR}/claims`, { recursive: true });
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
    return true;
  } catch {
    const owner = Number(readFileSync(file, 'utf8'));
    if (owner && owner !== process.pid && alive(owner)) return false;
    writeFileSync(file, String(process.pid));
    return true;
  }
}

/** Gives the claim back once the server is healthy (or failed). */
export function releaseStart(name: string): void {
  try {
    if (Number(readFileSync(claimFile(name), 'utf8')) === process.pid) unlinkSync(claimFile(name));
  } catch {
    // Already gone.
  }
}
