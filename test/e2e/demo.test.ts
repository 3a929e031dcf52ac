/**
 * `npm run demo` is part of the contract: headless, it writes a screenshot of each view and
 * exits; kept running, Ctrl-C stops it cleanly and leaves no browser behind.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './harness';

const out = mkdtempSync(join(tmpdir(), 'gdap-lens-demo-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function demo(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/demo/run.ts', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, DISPLAY: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stdout += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => stdout };
}

/** Chromium processes running with an extension loaded (none must outlive the demo). Reads /proc. */
function chromiumCount(): number {
  let n = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmd.includes('chromium') && cmd.includes('--load-extension=')) n++;
    } catch {
      // the process ended while we looked
    }
  }
  return n;
}

describe('npm run demo', () => {
  it('without a display, saves a screenshot of each view and prints the paths', async () => {
    const run = demo(['--headless', `--out=${out}`]);
    expect(await run.exited).toBe(0);
    const paths = run.output().split('\n').filter((l) => l.endsWith('.png'));
    expect(paths.length).toBeGreaterThanOrEqual(6);
    for (const p of paths) {
      expect(existsSync(p), p).toBe(true);
      expect(readFileSync(p).subarray(1, 4).toString()).toBe('PNG');
    }
    expect(paths.map((p) => p.split('/').pop())).toEqual(expect.arrayContaining(['partner-center-customers.png', 'popup.png', 'admin-center-partners.png']));
  });

  it('stops cleanly on Ctrl-C and leaves no browser behind', async () => {
    const before = chromiumCount();
    const run = demo(['--headless', '--wait', `--out=${out}`]);
    await expect.poll(() => run.output(), { timeout: 90_000, interval: 250 }).toContain('Ready.');
    expect(chromiumCount()).toBeGreaterThan(before);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    await expect.poll(() => chromiumCount(), { timeout: 10_000 }).toBe(before);
  });
});
