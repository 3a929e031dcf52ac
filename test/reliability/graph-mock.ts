/**
 * The real Graph client with short waits, for `vi.mock` in the reliability tests:
 *
 *   vi.mock('@/utils/graph/client', async (orig) => (await import('./graph-mock')).fastGraphClientMock(orig));
 *
 * Retry-After and back-off waits are recorded in {@link graphSleeps} instead of slept
 * through, and one attempt times out after {@link ATTEMPT_TIMEOUT_MS}. Only options the app
 * does not set itself are changed; the retry policy, parsing and paging are the real code.
 */
import type { GraphClientOptions } from '@/utils/graph/client';

/** Per-attempt timeout of the Graph client in this suite (the product's default is 30 s). */
export const ATTEMPT_TIMEOUT_MS = 400;

/** Every wait the Graph clients of the test file asked for (ms). */
export const graphSleeps: number[] = [];

export async function fastGraphClientMock(importOriginal: () => Promise<unknown>) {
  const real = (await importOriginal()) as typeof import('@/utils/graph/client');
  return {
    ...real,
    createGraphClient: (options: GraphClientOptions) =>
      real.createGraphClient({
        timeoutMs: ATTEMPT_TIMEOUT_MS,
        sleep: async (ms: number) => void graphSleeps.push(ms),
        ...options,
      }),
  };
}
