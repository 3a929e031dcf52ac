import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { emptySyncMeta } from '@/utils/store/db';
import type { SyncMeta } from '@/utils/store/cache';
import {
  SYNC_ALARM,
  STARTUP_RETRY_MINUTES,
  alarmPeriodMinutes,
  createSyncScheduler,
  shouldSyncOnStartup,
  type SyncEvent,
} from '@/utils/sync/scheduler';
import { runSync, type SyncOutcome } from '@/utils/sync/sync';
import { startFakeCloud, type FakeCloud } from '../fake-cloud/server';
import { RELATIONSHIP_LIST, graphFor, newCache } from './sync-fixtures';

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function okOutcome(generation = 1): SyncOutcome {
  return {
    ok: true,
    meta: { ...emptySyncMeta(), generation, lastSuccess: '2025-06-01T00:00:00.000Z', lastAttempt: '2025-06-01T00:00:00.000Z' },
    emptyHint: null,
    stats: { customers: 0, relationships: 0, assignmentRequests: 0, assignmentFailures: 0, assignments: 0, skipped: 0, pages: 2 },
    durationMs: 5,
    writeMs: 1,
  };
}

function abortedOutcome(): SyncOutcome {
  return {
    ok: false,
    error: { kind: 'aborted', messageKey: 'graphError.aborted', message: 'cancelled', status: null, retryAfterMs: null },
    meta: null,
    durationMs: 1,
  };
}

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('createSyncScheduler', () => {
  it('is single-flight: a second syncNow while one runs joins it and gets the same outcome', async () => {
    const gate = deferred<SyncOutcome>();
    const run = vi.fn((_signal: AbortSignal) => gate.promise);
    const scheduler = createSyncScheduler({ run });
    const a = scheduler.syncNow('user');
    const b = scheduler.syncNow('alarm');
    expect(a).toBe(b);
    expect(scheduler.running).toBe(true);
    await tick();
    expect(scheduler.syncNow('startup')).toBe(a);
    const outcome = okOutcome();
    gate.resolve(outcome);
    expect(await a).toBe(outcome);
    expect(await b).toBe(outcome);
    expect(run).toHaveBeenCalledTimes(1);
    expect(scheduler.running).toBe(false);
  });

  it('after a sync has finished, the next syncNow starts a new one', async () => {
    let n = 0;
    const scheduler = createSyncScheduler({ run: async () => okOutcome(++n) });
    const first = await scheduler.syncNow('user');
    const second = await scheduler.syncNow('user');
    expect(first.ok && first.meta.generation).toBe(1);
    expect(second.ok && second.meta.generation).toBe(2);
  });

  it('cancel() aborts the running sync; false when nothing runs', async () => {
    let seen: AbortSignal | null = null;
    const scheduler = createSyncScheduler({
      run: (signal) => {
        seen = signal;
        return new Promise((resolve) => signal.addEventListener('abort', () => resolve(abortedOutcome())));
      },
    });
    expect(scheduler.cancel()).toBe(false);
    const p = scheduler.syncNow('user');
    await tick();
    expect(scheduler.cancel()).toBe(true);
    expect(scheduler.cancel()).toBe(false); // already cancelled
    expect((seen as AbortSignal | null)?.aborted).toBe(true);
    const outcome = await p;
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.error.kind).toBe('aborted');
    expect(scheduler.running).toBe(false);
  });

  it('cancel() right after syncNow (before the run began) still reaches the run as an aborted signal', async () => {
    const run = vi.fn(async (signal: AbortSignal) => (signal.aborted ? abortedOutcome() : okOutcome()));
    const scheduler = createSyncScheduler({ run });
    const p = scheduler.syncNow('user');
    expect(scheduler.cancel()).toBe(true);
    expect((await p).ok).toBe(false);
  });

  it('onChange: started then finished (with the outcome), once per sync, joiners add no events; unsubscribe works', async () => {
    const gate = deferred<SyncOutcome>();
    const at = new Date('2025-06-01T10:00:00Z');
    const scheduler = createSyncScheduler({ run: () => gate.promise, now: () => at });
    const events: SyncEvent[] = [];
    const off = scheduler.onChange((e) => events.push(e));
    scheduler.onChange(() => {
      throw new Error('a broken listener');
    });
    const p = scheduler.syncNow('alarm');
    void scheduler.syncNow('user');
    await tick();
    expect(events).toEqual([{ type: 'started', reason: 'alarm', at }]);
    const outcome = okOutcome();
    gate.resolve(outcome);
    await p;
    expect(events).toEqual([
      { type: 'started', reason: 'alarm', at },
      { type: 'finished', reason: 'alarm', at, outcome },
    ]);
    off();
    await scheduler.syncNow('user');
    expect(events).toHaveLength(2);
  });

  it('running is already false when "finished" is announced, so a listener can start the next sync', async () => {
    const scheduler = createSyncScheduler({ run: async () => okOutcome() });
    const runningAtFinish: boolean[] = [];
    scheduler.onChange((e) => {
      if (e.type === 'finished') runningAtFinish.push(scheduler.running);
    });
    await scheduler.syncNow('user');
    expect(runningAtFinish).toEqual([false]);
  });

  it('a run that rejects still ends as an outcome (unknown), and the scheduler keeps working', async () => {
    let fail = true;
    const scheduler = createSyncScheduler({
      run: async () => {
        if (fail) throw new TypeError('bug');
        return okOutcome();
      },
    });
    const outcome = await scheduler.syncNow('user');
    expect(outcome).toMatchObject({ ok: false, error: { kind: 'unknown', messageKey: 'syncError.unknown', message: 'bug' } });
    fail = false;
    expect((await scheduler.syncNow('user')).ok).toBe(true);
  });
});

describe('two tabs asking at once → one sync (real runSync, fake cloud)', () => {
  let cloud: FakeCloud;
  beforeAll(async () => {
    cloud = await startFakeCloud({ customers: 40, seed: 9 });
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('one set of Graph requests and one cache write', async () => {
    const cache = newCache();
    const wiring = graphFor(cloud);
    const scheduler = createSyncScheduler({
      run: (signal) => runSync({ graph: wiring.graph, cache, partnerTenantId: null, signal }),
    });
    const [a, b] = await Promise.all([scheduler.syncNow('user'), scheduler.syncNow('user')]);
    expect(a).toBe(b);
    expect(a.ok).toBe(true);
    expect(wiring.requests.filter((r) => RELATIONSHIP_LIST.test(new URL(r.url).pathname + new URL(r.url).search))).toHaveLength(1);
    expect((await cache.getSyncMeta()).value.generation).toBe(1);
  });
});

describe('alarm helpers', () => {
  it('SYNC_ALARM is the one alarm name', () => {
    expect(SYNC_ALARM).toBe('gdap-lens-sync');
  });

  it.each([
    [6, 360],
    [1, 60],
    [24, 1440],
    [168, 10080],
    [0, null],
    [-3, null],
    [Number.NaN, null],
    [Number.POSITIVE_INFINITY, null],
  ])('alarmPeriodMinutes(%s) = %s (0 → no alarm)', (hours, minutes) => {
    expect(alarmPeriodMinutes(hours)).toBe(minutes);
  });

  const NOW = new Date('2025-06-01T12:00:00.000Z');
  const hoursAgo = (h: number): string => new Date(NOW.getTime() - h * 3_600_000).toISOString();
  const minutesAgo = (m: number): string => new Date(NOW.getTime() - m * 60_000).toISOString();
  const meta = (patch: Partial<SyncMeta>): SyncMeta => ({ ...emptySyncMeta(), ...patch });

  it.each<[string, SyncMeta | null, number, boolean]>([
    ['never synced', meta({}), 6, true],
    ['cache unreadable (null meta)', null, 6, true],
    ['synced 1 h ago, interval 6 h: fresh', meta({ lastSuccess: hoursAgo(1), lastAttempt: hoursAgo(1) }), 6, false],
    ['synced 7 h ago, interval 6 h: stale', meta({ lastSuccess: hoursAgo(7), lastAttempt: hoursAgo(7) }), 6, true],
    ['synced exactly 6 h ago: stale', meta({ lastSuccess: hoursAgo(6), lastAttempt: hoursAgo(6) }), 6, true],
    ['periodic sync off (0): never on its own', meta({ lastSuccess: hoursAgo(100) }), 0, false],
    ['periodic sync off and never synced', meta({}), 0, false],
    [
      `failed ${STARTUP_RETRY_MINUTES - 5} min ago: wait`,
      meta({ lastSuccess: hoursAgo(30), lastAttempt: minutesAgo(STARTUP_RETRY_MINUTES - 5), lastError: { kind: 'network', message: 'x', at: minutesAgo(10) } }),
      6,
      false,
    ],
    [
      `failed ${STARTUP_RETRY_MINUTES + 5} min ago: try again`,
      meta({ lastSuccess: hoursAgo(30), lastAttempt: minutesAgo(STARTUP_RETRY_MINUTES + 5), lastError: { kind: 'network', message: 'x', at: minutesAgo(20) } }),
      6,
      true,
    ],
    ['last success in the future (clock moved back): stale', meta({ lastSuccess: new Date(NOW.getTime() + 86_400_000).toISOString() }), 6, true],
    ['unreadable lastSuccess: stale', meta({ lastSuccess: 'garbage' }), 6, true],
  ])('shouldSyncOnStartup: %s', (_title, m, interval, expected) => {
    expect(shouldSyncOnStartup(m, NOW, interval)).toBe(expected);
  });
});
