import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// DATA_DIR is read when the module loads: point it at a folder of this test first.
const dir = mkdtempSync(join(tmpdir(), 'devstack-claims-'));
process.env.DEVSTACK_DATA_DIR = dir;
mkdirSync(join(dir, 'claims'));
const { claimStart, releaseStart } = await import('../src/start-claim.js');
const file = (name: string) => join(dir, 'claims', `${name}.pid`);

describe('one starter per server (two devstacks starting at once)', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lets the first claim a start and gives it back', () => {
    expect(claimStart('a')).toBe(true);
    expect(readFileSync(file('a'), 'utf8')).toBe(String(process.pid));
    releaseStart('a');
    expect(existsSync(file('a'))).toBe(false);
  });

  it('makes a second starter wait while the first one lives, and never releases its claim', () => {
    writeFileSync(file('b'), String(process.ppid));
    expect(claimStart('b')).toBe(false);
    releaseStart('b');
    expect(readFileSync(file('b'), 'utf8')).toBe(String(process.ppid));
  });

  it('takes over the claim of a process that is gone', () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    writeFileSync(file('c'), gone);
    expect(claimStart('c')).toBe(true);
    expect(readFileSync(file('c'), 'utf8')).toBe(String(process.pid));
  });
});
