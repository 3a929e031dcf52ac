/**
 * Lets background chores give way to answers. Reads (what the popup, the options page and
 * the portals' badges ask) run through `run`; a chore awaits `quiet()` before each step,
 * which resolves at once when nothing is being read, else when the last read is answered,
 * and at the latest after `maxWaitMs`, so that a page asking without pause cannot hold a
 * chore back for long.
 *
 * The chore it was made for: reminders. The first sync of a large partner can make hundreds
 * of them due at once, and each costs the worker an icon fetch and decode (20–30 ms of its
 * thread on a busy machine); interleaved with them, the few storage reads of a `getStatus`
 * waited behind several, and the popup with them.
 */
export interface ReadGate {
  run<T>(read: () => T | Promise<T>): Promise<T>;
  quiet(): Promise<void>;
}

export const READ_GATE_MAX_WAIT_MS = 2000;

export function createReadGate(maxWaitMs = READ_GATE_MAX_WAIT_MS): ReadGate {
  let active = 0;
  let waiting: Array<() => void> = [];
  return {
    async run(read) {
      active++;
      try {
        return await read();
      } finally {
        if (--active === 0) {
          const wake = waiting;
          waiting = [];
          for (const w of wake) w();
        }
      }
    },
    quiet() {
      if (active === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(done, maxWaitMs);
        waiting.push(done);
      });
    },
  };
}
