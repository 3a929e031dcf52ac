/**
 * Page cost on the fake Partner Center customer list (1,000 and 5,000 rows on one page),
 * with GDAP Lens against the same Chromium without it, in interleaved runs:
 * - badges: from the moment the page put its rows in (the page's `fake-pc:rows` mark) to
 *   the moment the last row's badge host is in the page with its shadow root rendered,
 *   seen by a MutationObserver in the page: the time its callback was called, so that the
 *   observer's own work on a thousand records is not counted;
 * - network idle: the time the page's network went quiet (the latest of the load event
 *   and every resource's responseEnd, from navigation start), with / without;
 * - long tasks: PerformanceObserver('longtask') entries over 50 ms from navigation until a
 *   second after the badges (or the rows, without the extension); the extension's excess
 *   is with minus without.
 * The same observer script runs in both browsers, so its own cost is on both sides.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ExtensionBrowser } from '../e2e/harness';
import type { Figure } from './stats';

export const PC_ORIGIN = 'https://partner.microsoft.com';
const SETTLE_MS = 1000;

interface PageSample {
  /** performance.now() of the page's rows mark. */
  rowsAt: number | null;
  badgesAt: number | null;
  badges: number;
  quietAt: number;
  longTasks: number;
  longTaskMs: number;
}

/**
 * Runs in the page (main world) before its scripts: observes rows, badges and long tasks.
 * Plain JavaScript in a string: a compiled function could call helpers the page lacks.
 */
export const OBSERVER_SCRIPT = `(() => {
  if (location.hostname !== 'partner.microsoft.com') return;
  const expected = Number(new URLSearchParams(location.search).get('pageSize')) || 0;
  const state = { badgesAt: null, badges: 0, longTasks: [] };
  window.__bench = state;
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) state.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
  const counted = new WeakSet();
  const pending = new Set();
  const rendered = (h) => {
    const root = h.shadowRoot;
    if (!root) return false;
    for (const child of root.children) if (child.tagName !== 'STYLE' && child.childNodes.length > 0) return true;
    return false;
  };
  let observer;
  const consider = (h) => {
    if (counted.has(h)) return;
    if (h.isConnected && rendered(h)) {
      counted.add(h);
      pending.delete(h);
      state.badges++;
    } else {
      pending.add(h);
      if (h.shadowRoot) observer.observe(h.shadowRoot, { childList: true, subtree: true });
    }
  };
  observer = new MutationObserver((records) => {
    // The moment the mutations were done: what this callback then spends is the bench's own cost.
    const at = performance.now();
    for (const r of records) {
      // Badges go into elements (cells, rows, headings), never at the top of a shadow root:
      // what is added there (each of a thousand link-buttons drawing its own shadow content
      // as its row goes in) is skipped unread. Hosts still waiting to render are checked below.
      if (r.target.nodeType === 11) continue;
      // Many nodes at once (a page of rows): one query of their parent, not one per node, so
      // that the bench's own cost does not delay the page's other observers (the extension's).
      if (r.addedNodes.length > 8) {
        for (const h of r.target.querySelectorAll('[data-gdap-badge][data-tenant-id]')) consider(h);
        continue;
      }
      for (const n of r.addedNodes) {
        if (n.nodeType !== 1) continue;
        if (n.hasAttribute('data-gdap-badge') && n.hasAttribute('data-tenant-id')) consider(n);
        else for (const h of n.querySelectorAll('[data-gdap-badge][data-tenant-id]')) consider(h);
      }
    }
    for (const h of [...pending]) consider(h);
    if (state.badgesAt === null && expected > 0 && state.badges >= expected) state.badgesAt = at;
  });
  observer.observe(document, { childList: true, subtree: true });
  // The portal's rows live in shadow roots: observe each one the page creates.
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    observer.observe(root, { childList: true, subtree: true });
    return root;
  };
})();`;

async function readSample(page: Page): Promise<PageSample> {
  return page.evaluate(() => {
    const s = (window as unknown as { __bench: { badgesAt: number | null; badges: number; longTasks: Array<{ duration: number }> } }).__bench;
    const rows = performance.getEntriesByName('fake-pc:rows');
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    let quiet = nav ? nav.loadEventEnd : 0;
    for (const r of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) quiet = Math.max(quiet, r.responseEnd);
    const long = s.longTasks.filter((t) => t.duration > 50);
    return {
      rowsAt: rows.length ? rows[rows.length - 1]!.startTime : null,
      badgesAt: s.badgesAt,
      badges: s.badges,
      quietAt: quiet,
      longTasks: long.length,
      longTaskMs: long.reduce((a, t) => a + t.duration, 0),
    };
  });
}

async function visit(context: BrowserContext, url: string, withExtension: boolean, rows: number): Promise<PageSample> {
  const page = await context.newPage();
  try {
    await page.goto(url, { waitUntil: 'networkidle', timeout: 120_000 });
    await page.waitForFunction(() => performance.getEntriesByName('fake-pc:rows').length > 0, undefined, { timeout: 60_000, polling: 50 });
    if (withExtension) {
      await page.waitForFunction(() => (window as unknown as { __bench: { badgesAt: number | null } }).__bench.badgesAt !== null, undefined, {
        timeout: 120_000,
        polling: 100,
      });
    }
    await page.waitForTimeout(SETTLE_MS);
    const s = await readSample(page);
    if (withExtension && s.badges < rows) throw new Error(`only ${s.badges} of ${rows} badges rendered`);
    if (!withExtension && s.badges > 0) throw new Error('badges in the browser without the extension');
    return s;
  } finally {
    await page.close().catch(() => undefined);
  }
}

export interface PageCostOptions {
  ext: ExtensionBrowser;
  plain: Browser;
  rowCounts: number[];
  runs: number;
  log: (msg: string) => void;
}

export async function benchPageCost(opts: PageCostOptions): Promise<Figure[]> {
  const { ext, plain, runs, log } = opts;
  await ext.context.addInitScript(OBSERVER_SCRIPT);
  const plainContext = await plain.newContext({ viewport: { width: 1280, height: 800 } });
  await plainContext.addInitScript(OBSERVER_SCRIPT);
  const figures: Figure[] = [];
  try {
    for (const rows of opts.rowCounts) {
      const url = `${PC_ORIGIN}/dashboard/v2/customers/list?pageSize=${rows}`;
      // Warm-up of both (HTTP cache, code caches), not measured.
      await visit(ext.context, url, true, rows);
      await visit(plainContext, url, false, rows);
      const badgeMs: number[] = [];
      const idleRatio: number[] = [];
      const idleWith: number[] = [];
      const longExcess: number[] = [];
      const longMsExcess: number[] = [];
      for (let i = 0; i < runs; i++) {
        // Alternate who goes first, so neither side always meets a warmer machine.
        const order = i % 2 === 0 ? [true, false] : [false, true];
        const got = new Map<boolean, PageSample>();
        for (const withExt of order) got.set(withExt, await visit(withExt ? ext.context : plainContext, url, withExt, rows));
        const w = got.get(true)!;
        const wo = got.get(false)!;
        if (w.rowsAt === null || w.badgesAt === null) throw new Error('no rows mark or badges');
        badgeMs.push(w.badgesAt - w.rowsAt);
        idleWith.push(w.quietAt);
        idleRatio.push(w.quietAt / wo.quietAt);
        longExcess.push(w.longTasks - wo.longTasks);
        longMsExcess.push(w.longTaskMs - wo.longTaskMs);
        log(
          `  ${rows} rows, run ${i + 1}: badges ${(w.badgesAt - w.rowsAt).toFixed(1)} ms; quiet ${w.quietAt.toFixed(0)} / ${wo.quietAt.toFixed(0)} ms; ` +
            `long tasks ${w.longTasks} (${w.longTaskMs.toFixed(0)} ms) / ${wo.longTasks} (${wo.longTaskMs.toFixed(0)} ms)`,
        );
      }
      const n = rows.toLocaleString('en-US');
      figures.push(
        { id: `page.${rows}.badges`, label: `Page ${n} rows: rows in → all badges rendered`, unit: 'ms', samples: badgeMs, ...(rows <= 1000 ? { goalMax: 100 } : {}) },
        { id: `page.${rows}.idle-ratio`, label: `Page ${n} rows: network idle, with / without`, unit: 'ratio', samples: idleRatio, goalMax: 1.05 },
        { id: `page.${rows}.idle-with`, label: `Page ${n} rows: network idle with extension`, unit: 'ms', samples: idleWith },
        { id: `page.${rows}.longtasks`, label: `Page ${n} rows: long tasks > 50 ms, extension's excess`, unit: 'count', samples: longExcess, goalMax: 0 },
        { id: `page.${rows}.longtask-ms`, label: `Page ${n} rows: long-task time, extension's excess`, unit: 'ms', samples: longMsExcess },
      );
    }
  } finally {
    await plainContext.close().catch(() => undefined);
  }
  return figures;
}
