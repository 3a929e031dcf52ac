/**
 * Bounded concurrency for the Graph client: a FIFO semaphore (requests in flight across
 * the whole client) and a bounded map over items (e.g. access assignments of every active
 * relationship, a few relationships at a time).
 */
import { abortError } from './retry';

export interface Semaphore {
  /** Waits for a slot; the returned function releases it (idempotent). Rejects with AbortError on abort. */
  acquire(signal?: AbortSignal): Promise<() => void>;
  /** Slots in use now. */
  readonly active: number;
  /** Callers waiting for a slot. */
  readonly waiting: number;
}

export function createSemaphore(max: number): Semaphore {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`maxConcurrent must be a positive integer, got ${max}`);
  let active = 0;
  const queue: Array<{ grant: () => void }> = [];

  const makeRelease = (): (() => void) => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = queue.shift();
      if (next) next.grant(); // hand the slot over: `active` stays the same
      else active--;
    };
  };

  return {
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
    acquire(signal?: AbortSignal): Promise<() => void> {
      if (signal?.aborted) return Promise.reject(abortError());
      if (active < max) {
        active++;
        return Promise.resolve(makeRelease());
      }
      return new Promise((resolve, reject) => {
        const entry = {
          grant: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve(makeRelease());
          },
        };
        const onAbort = (): void => {
          const i = queue.indexOf(entry);
          if (i >= 0) queue.splice(i, 1);
          reject(abortError());
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        queue.push(entry);
      });
    },
  };
}

export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * Runs `fn` over `items` with at most `concurrency` calls pending at once and returns
 * every outcome in input order; one failure does not stop the others. When `signal`
 * aborts, items not yet started are settled with an AbortError without calling `fn`.
 */
export async function forEachBounded<T, R>(
  items: readonly T[],
  fn: (item: T, index: number) => Promise<R>,
  concurrency: number,
  signal?: AbortSignal,
): Promise<Array<Settled<R>>> {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  }
  const results = new Array<Settled<R>>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const index = next++;
      if (index >= items.length) return;
      if (signal?.aborted) {
        results[index] = { ok: false, error: abortError() };
        continue;
      }
      try {
        results[index] = { ok: true, value: await fn(items[index] as T, index) };
      } catch (error) {
        results[index] = { ok: false, error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
