/**
 * When syncs run (background worker): one at a time, whoever asks.
 *
 * - {@link createSyncScheduler} is single-flight: a `syncNow()` while a sync runs joins it
 *   and resolves to the same outcome (two tabs asking at once, the alarm firing while the
 *   user clicks "Sync now" → one sync, one set of Graph requests, one cache write).
 *   `cancel()` aborts the running sync (its outcome is then `aborted`, and the cache keeps
 *   its previous data, see ./sync.ts). `onChange` tells the UI when a sync starts and ends.
 * - Pure helpers decide the periodic alarm ({@link SYNC_ALARM}, {@link alarmPeriodMinutes})
 *   and whether a worker that just started should sync ({@link shouldSyncOnStartup}); the
 *   background script wires them to `browser.alarms` and `runtime.onStartup`.
 */
import type { SyncMeta } from '../store/cache';
import { syncErrorMessageKey, type SyncOutcome } from './sync';

/** Name of the periodic sync alarm. */
export const SYNC_ALARM = 'gdap-lens-sync';

/**
 * After a failed attempt, a worker that starts again waits this long before trying again
 * on its own (MV3 workers start often; a sign-in that is required stays required).
 */
export const STARTUP_RETRY_MINUTES = 15;

/** Who asked for a sync (free text is allowed for new callers; shown in logs only). */
export type SyncReason = 'alarm' | 'startup' | 'install' | 'user' | 'sign-in' | 'settings' | (string & {});

export type SyncEvent =
  | { type: 'started'; reason: SyncReason; at: Date }
  | { type: 'finished'; reason: SyncReason; at: Date; outcome: SyncOutcome };

export interface SyncScheduler {
  /** Starts a sync, or joins the running one; resolves to its outcome (never rejects). */
  syncNow(reason: SyncReason): Promise<SyncOutcome>;
  /** Aborts the running sync; `false` when none was running. */
  cancel(): boolean;
  readonly running: boolean;
  /** Listens to started/finished events; returns the unsubscribe function. */
  onChange(listener: (event: SyncEvent) => void): () => void;
}

export interface SyncSchedulerOptions {
  /** One full sync (e.g. `(signal) => runSync({ …, signal })`); should never reject. */
  run: (signal: AbortSignal) => Promise<SyncOutcome>;
  /** Clock of the events (default: the real time). */
  now?: () => Date;
}

export function createSyncScheduler(options: SyncSchedulerOptions): SyncScheduler {
  const now = options.now ?? (() => new Date());
  const listeners = new Set<(event: SyncEvent) => void>();
  let current: { promise: Promise<SyncOutcome>; controller: AbortController } | null = null;

  const emit = (event: SyncEvent): void => {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch {
        // A broken listener (a closed popup's port) must not break the sync.
      }
    }
  };

  const start = (reason: SyncReason): Promise<SyncOutcome> => {
    const controller = new AbortController();
    const promise = (async (): Promise<SyncOutcome> => {
      // Yield once so that `current` is set before the run (and its events) begin.
      await Promise.resolve();
      emit({ type: 'started', reason, at: now() });
      let outcome: SyncOutcome;
      try {
        outcome = await options.run(controller.signal);
      } catch (e) {
        // `run` should never reject; if it does, it still ends as an outcome.
        const kind = controller.signal.aborted ? 'aborted' : 'unknown';
        outcome = {
          ok: false,
          error: {
            kind,
            messageKey: syncErrorMessageKey(kind),
            message: e instanceof Error ? e.message : String(e),
            status: null,
            retryAfterMs: null,
          },
          meta: null,
          durationMs: 0,
        };
      }
      if (current?.controller === controller) current = null;
      emit({ type: 'finished', reason, at: now(), outcome });
      return outcome;
    })();
    current = { promise, controller };
    return promise;
  };

  return {
    syncNow(reason) {
      return current !== null ? current.promise : start(reason);
    },
    cancel() {
      if (current === null || current.controller.signal.aborted) return false;
      current.controller.abort();
      return true;
    },
    get running() {
      return current !== null;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

/**
 * `periodInMinutes` of the sync alarm for the user's `syncIntervalHours`; `null` means "no
 * alarm" (0 turns periodic sync off; anything that is not a positive finite number too).
 */
export function alarmPeriodMinutes(syncIntervalHours: number): number | null {
  if (typeof syncIntervalHours !== 'number' || !Number.isFinite(syncIntervalHours) || syncIntervalHours <= 0) return null;
  return Math.round(syncIntervalHours * 60);
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * Whether a worker that just started should sync now:
 * - periodic sync off (`intervalHours` 0 or invalid) → no (the user syncs by hand);
 * - never synced → yes;
 * - the last attempt failed less than {@link STARTUP_RETRY_MINUTES} ago → no (do not hammer
 *   Graph or the sign-in on every wake-up);
 * - the last success is older than the interval, or lies in the future (the clock moved
 *   back: the age is unknown) → yes; otherwise no.
 * `meta` may be `null` (the cache could not be read): then yes, a sync rewrites it.
 */
export function shouldSyncOnStartup(
  meta: Pick<SyncMeta, 'lastSuccess' | 'lastAttempt' | 'lastError'> | null,
  now: Date,
  intervalHours: number,
): boolean {
  if (alarmPeriodMinutes(intervalHours) === null) return false;
  const nowMs = now.getTime();
  if (!Number.isFinite(nowMs)) return false;
  if (meta === null) return true;
  if (meta.lastError !== null && meta.lastAttempt !== null) {
    const attempt = Date.parse(meta.lastAttempt);
    if (Number.isFinite(attempt) && attempt <= nowMs && nowMs - attempt < STARTUP_RETRY_MINUTES * MINUTE_MS) return false;
  }
  if (meta.lastSuccess === null) return true;
  const success = Date.parse(meta.lastSuccess);
  if (!Number.isFinite(success) || success > nowMs) return true;
  return nowMs - success >= intervalHours * HOUR_MS;
}
