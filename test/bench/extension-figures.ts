/**
 * What the extension costs in its own contexts: the content scripts' size, a full sync
 * (against the fake server's own time for the same Graph pages, the IndexedDB write, the
 * service worker's heap), summaries for a batch of tenants, and the popup opening.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { GRAPH_HOST, type FakeCloud } from '../fake-cloud/server';
import type { ExtensionBrowser } from '../e2e/harness';
import type { StatusView, SyncStatusView } from '../../utils/messaging/protocol';
import { serviceWorkerHeap } from './cdp';
import type { Figure } from './stats';

/** Sends one protocol message from an extension page and times the round trip there. */
export async function timedSend<T>(page: Page, type: string, data?: unknown): Promise<{ ms: number; res: T }> {
  return page.evaluate(
    async ({ type, data }) => {
      const api = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome;
      const t0 = performance.now();
      const reply = await api.runtime.sendMessage({ id: Math.floor(Math.random() * 1e9), type, data, timestamp: Date.now() });
      const ms = performance.now() - t0;
      return { ms, res: (reply as { res: T } | undefined)?.res as T };
    },
    { type, data },
  );
}

export const CONTENT_SCRIPT_GOAL_GZIP = 15_000;

export function contentScriptFigures(buildDir: string): Figure[] {
  const dir = join(buildDir, 'content-scripts');
  const out: Figure[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.js')).sort()) {
    const bytes = readFileSync(join(dir, file));
    const name = file.replace(/\.js$/, '');
    out.push(
      { id: `content.${name}.bytes`, label: `Content script ${file}`, unit: 'bytes', samples: [bytes.length], note: 'size, one build' },
      {
        id: `content.${name}.gzip`,
        label: `Content script ${file}, gzip -9`,
        unit: 'bytes',
        samples: [gzipSync(bytes, { level: 9 }).length],
        goalMax: CONTENT_SCRIPT_GOAL_GZIP,
        note: 'one build',
      },
    );
  }
  return out;
}

export interface SyncBenchOptions {
  ext: ExtensionBrowser;
  cloud: FakeCloud;
  page: Page;
  runs: number;
  log: (msg: string) => void;
}

export async function benchSync({ ext, cloud, page, runs, log }: SyncBenchOptions): Promise<Figure[]> {
  const total: number[] = [];
  const server: number[] = [];
  const ratio: number[] = [];
  const write: number[] = [];
  const heap: number[] = [];
  const heapGc: number[] = [];
  let requests = 0;
  let counts: SyncStatusView['counts'] = null;
  for (let i = 0; i < runs; i++) {
    cloud.clearRequests();
    const serveBefore = cloud.graphServeTimeMs;
    const r = await timedSend<{ ok: boolean; value?: SyncStatusView; error?: unknown }>(page, 'syncNow');
    if (!r.res?.ok || !r.res.value) throw new Error(`sync failed: ${JSON.stringify(r.res)}`);
    const serverMs = cloud.graphServeTimeMs - serveBefore;
    requests = cloud.requests.filter((q) => q.host === GRAPH_HOST).length;
    counts = r.res.value.counts;
    total.push(r.ms);
    server.push(serverMs);
    ratio.push(r.ms / serverMs);
    if (r.res.value.writeMs !== null) write.push(r.res.value.writeMs);
    const h = await serviceWorkerHeap(page, ext.extensionId);
    const g = await serviceWorkerHeap(page, ext.extensionId, { collectGarbage: true });
    heap.push(h.usedMB);
    heapGc.push(g.usedMB);
    log(
      `  sync ${i + 1}: ${r.ms.toFixed(0)} ms, server ${serverMs.toFixed(0)} ms over ${requests} Graph requests, write ${r.res.value.writeMs} ms, ` +
        `heap ${h.usedMB.toFixed(1)} MB (${g.usedMB.toFixed(1)} MB after GC)`,
    );
  }
  const what = counts ? `${counts.customers.toLocaleString('en-US')} customers, ${counts.relationships.toLocaleString('en-US')} relationships` : '';
  return [
    { id: 'sync.total', label: `Sync ${what}: syncNow end to end`, unit: 'ms', samples: total },
    { id: 'sync.server', label: `Sync: fake Graph's own time serving its ${requests} requests`, unit: 'ms', samples: server },
    { id: 'sync.ratio', label: 'Sync: end to end / fake Graph time', unit: 'ratio', samples: ratio },
    { id: 'sync.write', label: 'Sync: IndexedDB write (writeMs)', unit: 'ms', samples: write },
    { id: 'sync.heap', label: 'Service-worker heap used after the sync', unit: 'MB', samples: heap },
    { id: 'sync.heap-gc', label: 'Service-worker heap used after the sync, after GC', unit: 'MB', samples: heapGc },
  ];
}

export interface LookupBenchOptions {
  ext: ExtensionBrowser;
  page: Page;
  tenantIds: string[];
  runs: number;
  log: (msg: string) => void;
}

export async function benchLookups({ ext, page, tenantIds, runs, log }: LookupBenchOptions): Promise<Figure[]> {
  const status = (await timedSend<StatusView>(page, 'getStatus')).res;
  const relationships = status.sync.counts?.relationships ?? 0;
  // Warm-up: the worker's first answers after a sync open the database.
  // The summaries the Partner Center badges ask for: one getBadges message per batch.
  const ask = { tenantIds, relationshipIds: [] };
  for (let i = 0; i < 3; i++) await timedSend(page, 'getBadges', ask);
  const lookups: number[] = [];
  for (let i = 0; i < runs * 2; i++) {
    const r = await timedSend<{ customers?: Record<string, unknown> }>(page, 'getBadges', ask);
    const got = Object.keys(r.res?.customers ?? {}).length;
    if (got !== tenantIds.length) throw new Error(`getBadges answered ${got} of ${tenantIds.length} tenants`);
    lookups.push(r.ms);
  }
  log(`  getBadges ×${tenantIds.length}: ${lookups.map((x) => x.toFixed(1)).join(', ')} ms`);

  const popup: number[] = [];
  for (let i = 0; i < runs * 2; i++) {
    // A pause between openings, as a person leaves: the previous popup's requests are done.
    await new Promise((r) => setTimeout(r, 1000));
    const p = await ext.newPage();
    try {
      await p.addInitScript(() => {
        const w = window as unknown as { __readyAt?: number };
        new MutationObserver((_, mo) => {
          if (w.__readyAt === undefined && document.querySelector('main[data-ready]')) {
            w.__readyAt = performance.now();
            mo.disconnect();
          }
        }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready'] });
      });
      await p.goto(ext.extensionUrl('popup.html'));
      await p.locator('main[data-ready]').waitFor({ timeout: 30_000 });
      const at = await p.evaluate(() => (window as unknown as { __readyAt?: number }).__readyAt);
      if (typeof at !== 'number') throw new Error('the popup became ready unseen');
      popup.push(at);
    } finally {
      await p.close().catch(() => undefined);
    }
  }
  log(`  popup ready: ${popup.map((x) => x.toFixed(0)).join(', ')} ms`);
  const rels = relationships.toLocaleString('en-US');
  return [
    { id: 'lookup.summaries', label: `Customer summaries (getBadges), ${tenantIds.length} tenants, ${rels}-relationship cache`, unit: 'ms', samples: lookups, goalMax: 20 },
    { id: 'lookup.popup', label: `Popup: navigation start → first view ready (data-ready)`, unit: 'ms', samples: popup, goalMax: 150 },
  ];
}
