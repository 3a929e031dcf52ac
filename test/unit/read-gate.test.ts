import { afterEach, describe, expect, it, vi } from 'vitest';
import { createReadGate } from '@/utils/background/read-gate';

afterEach(() => vi.useRealTimers());

describe('read gate (reminders give way to answers)', () => {
  it('is quiet at once when nothing is read, and when the last of several reads ends', async () => {
    const gate = createReadGate();
    let quiet = false;
    await gate.quiet();
    let endA: () => void = () => undefined;
    let endB: () => void = () => undefined;
    const a = gate.run(() => new Promise<string>((r) => (endA = () => r('a'))));
    const b = gate.run(() => new Promise<string>((r) => (endB = () => r('b'))));
    void gate.quiet().then(() => (quiet = true));
    endA();
    await expect(a).resolves.toBe('a');
    expect(quiet).toBe(false);
    endB();
    await expect(b).resolves.toBe('b');
    await Promise.resolve();
    expect(quiet).toBe(true);
  });

  it('passes a failed read on, and counts it as ended', async () => {
    const gate = createReadGate();
    await expect(gate.run(() => Promise.reject(new Error('no cache')))).rejects.toThrow('no cache');
    await expect(gate.run(() => 42)).resolves.toBe(42);
    let quiet = false;
    void gate.quiet().then(() => (quiet = true));
    await Promise.resolve();
    expect(quiet).toBe(true);
  });

  it('waits at most maxWaitMs, so that reads without pause cannot hold a chore back', async () => {
    vi.useFakeTimers();
    const gate = createReadGate(2000);
    void gate.run(() => new Promise(() => undefined));
    let quiet = false;
    void gate.quiet().then(() => (quiet = true));
    await vi.advanceTimersByTimeAsync(1999);
    expect(quiet).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(quiet).toBe(true);
  });
});
