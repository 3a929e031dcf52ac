/**
 * Heap of the extension's service worker through the DevTools protocol: a CDP session of
 * an extension page attaches to the worker's target (non-flattened, so the messages travel
 * through Target.sendMessageToTarget) and asks Runtime.getHeapUsage.
 */
import type { CDPSession, Page } from 'playwright-core';

export interface HeapUsage {
  usedMB: number;
  totalMB: number;
}

interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
}

export async function serviceWorkerHeap(page: Page, extensionId: string, opts: { collectGarbage?: boolean } = {}): Promise<HeapUsage> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  try {
    const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: TargetInfo[] };
    const sw = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${extensionId}/`));
    if (!sw) throw new Error('the extension has no running service worker');
    const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId: sw.targetId, flatten: false })) as { sessionId: string };
    let nextId = 1;
    const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
    cdp.on('Target.receivedMessageFromTarget', (e: { sessionId: string; message: string }) => {
      if (e.sessionId !== sessionId) return;
      const msg = JSON.parse(e.message) as { id?: number; result?: unknown; error?: { message: string } };
      const w = msg.id === undefined ? undefined : waiting.get(msg.id);
      if (!w) return;
      waiting.delete(msg.id!);
      if (msg.error) w.reject(new Error(msg.error.message));
      else w.resolve(msg.result);
    });
    const call = async <T>(method: string, params: object = {}): Promise<T> => {
      const id = nextId++;
      const answer = new Promise<unknown>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        setTimeout(() => reject(new Error(`${method}: no answer from the service worker`)), 30_000).unref();
      });
      await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
      return (await answer) as T;
    };
    if (opts.collectGarbage) await call('HeapProfiler.collectGarbage');
    const heap = await call<{ usedSize: number; totalSize: number }>('Runtime.getHeapUsage');
    await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => undefined);
    return { usedMB: heap.usedSize / 1024 ** 2, totalMB: heap.totalSize / 1024 ** 2 };
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}
