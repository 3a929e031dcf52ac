/**
 * The Partner Center badges feature: finds the rows and headers the portal module knows
 * (utils/portals/partner-center.ts), asks the background for their data in batches, and
 * mounts one badge per target. The content script calls `scan()` from its one observer
 * (late rows, pagination, client-side navigation); a target is never badged twice, and
 * `refresh()` re-reads every badge when the background reports a change. Nothing it does
 * throws into the page.
 */
import type { Api } from '../messaging/client';
import { BADGE_BATCH } from '../messaging/protocol';
import type { BadgeDetails } from '../portals/badge-model';
import type { TreeScopes } from '../portals/dom';
import { findBadgeTargets, type BadgeTarget, type PartnerCenterPage } from '../portals/partner-center';
import type { Pill } from '../portals/pill';
import type { BadgeIndexSource } from './badge-index';

/** What the feature needs of a mounted badge (components/badge/mount.ts provides it). */
export interface BadgeHandle {
  /** The badge's host element; the portal may remove it when it re-renders the anchor. */
  readonly host: Element;
  update(model: Pill, props?: Partial<BadgeCallbacks>): void;
  remove(): void;
  /** Puts a badge mounted with `deferPlace` into the page. */
  place(): void;
}

export interface BadgeCallbacks {
  /** The details the background computed; `null` when the cache does not hold them. */
  loadDetails: () => Promise<BadgeDetails | null>;
  onEnableAutoExtend?: (relationshipId: string) => Promise<{ ok: boolean; messageKey?: string }>;
}

export type MountFn = (
  anchor: Element,
  key: { tenantId: string } | { relationshipId: string },
  props: BadgeCallbacks & { model: Pill },
  options?: { deferPlace?: boolean },
) => BadgeHandle;

export interface PartnerCenterBadgesOptions {
  api: Pick<Api, 'send'>;
  doc: Document;
  /** The page kind now; re-read on every scan (client-side navigation). */
  page: () => PartnerCenterPage | null;
  mount: MountFn;
  /**
   * Every customer's and relationship's pill, asked for once (see ./badge-index.ts): rows
   * then need no round trip. Without it, or when it has none, rows are asked per batch.
   */
  index?: BadgeIndexSource;
  /** Milliseconds, for slicing the mounting (performance.now by default). */
  clock?: () => number;
  /** Lets the page run between slices (a zero-delay timeout by default). */
  yieldToPage?: () => Promise<void>;
}

/** The longest stretch of badge mounting before the page gets the main thread back. */
export const SLICE_MS = 25;

interface Mounted {
  target: BadgeTarget;
  badge: BadgeHandle;
}

/** The badge's key: its customer, or its relationship. */
const idOf = (t: BadgeTarget): { tenantId: string } | { relationshipId: string } =>
  'relationshipId' in t ? { relationshipId: t.relationshipId } : { tenantId: t.tenantId };

const keyOf = (t: BadgeTarget): string => ('relationshipId' in t ? `r:${t.relationshipId}` : `t:${t.tenantId}`);

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += BADGE_BATCH) out.push(items.slice(i, i + BADGE_BATCH));
  return out;
}

export interface PartnerCenterBadges {
  /** Re-reads every badge's data (the background reported a change). */
  refresh(): Promise<void>;
  /**
   * Looks for new targets now (also called by the observer, with the document's tree scopes
   * when it has just walked them: the page is then not walked again).
   */
  scan(scopes?: TreeScopes): Promise<void>;
  stop(): void;
}

export function startPartnerCenterBadges(opts: PartnerCenterBadgesOptions): PartnerCenterBadges {
  const clock = opts.clock ?? (() => performance.now());
  const yieldToPage = opts.yieldToPage ?? (() => new Promise<void>((resolve) => setTimeout(resolve, 0)));
  const mounted = new Map<Element, Mounted>();
  const controller = new AbortController();
  let scanning: Promise<void> | null = null;
  let again = false;

  const onEnableAutoExtend: BadgeCallbacks['onEnableAutoExtend'] = async (id) => {
    try {
      const r = await opts.api.send('setAutoExtend', { id, on: true });
      return r?.ok ? { ok: true } : { ok: false, ...(r && !r.ok ? { messageKey: r.error.messageKey } : {}) };
    } catch {
      return { ok: false };
    }
  };
  /** A badge's props: one object per badge, the action shared by all. */
  const propsOf = (t: BadgeTarget, model: Pill): BadgeCallbacks & { model: Pill } => ({
    model,
    loadDetails: async () => (await opts.api.send('getBadgeDetails', idOf(t))) ?? null,
    onEnableAutoExtend,
  });

  /**
   * Each target's pill from the badge index, at once (only an index that has arrived): null
   * for no badge, undefined where the index cannot answer (headers, or rows while there is
   * no index).
   */
  function fromIndex(targets: readonly BadgeTarget[]): Array<Pill | null | undefined> {
    // Only an index that has arrived: while it is on its way, a batch is quicker to ask for.
    const customers = targets.some((t) => t.kind === 'customer-row') ? opts.index?.ready('customers') : null;
    const relationships = targets.some((t) => t.kind === 'relationship-row') ? opts.index?.ready('relationships') : null;
    return targets.map((t) =>
      t.kind === 'customer-row' ? customers?.pill(t.tenantId) : t.kind === 'relationship-row' ? relationships?.pill(t.relationshipId) : undefined,
    );
  }

  /** Adds to `out` the pills of `rest`, asked for in batches of at most BADGE_BATCH customers and relationships. */
  async function ask(rest: readonly BadgeTarget[], out: Map<string, Pill>): Promise<void> {
    const tenants = chunks([...new Set(rest.flatMap((t) => ('relationshipId' in t ? [] : [t.tenantId])))]);
    const relIds = chunks([...new Set(rest.flatMap((t) => ('relationshipId' in t ? [t.relationshipId] : [])))]);
    const batches = await Promise.all(
      Array.from({ length: Math.max(tenants.length, relIds.length) }, (_, i) =>
        opts.api.send('getBadges', { tenantIds: tenants[i] ?? [], relationshipIds: relIds[i] ?? [] }),
      ),
    );
    for (const batch of batches) {
      for (const [tenantId, model] of Object.entries(batch?.customers ?? {})) out.set(`t:${tenantId}`, model);
      for (const [id, model] of Object.entries(batch?.relationships ?? {})) out.set(`r:${id}`, model);
    }
  }

  /**
   * Fills in `pills` (see {@link fromIndex}) where the index could not answer, asked of the
   * background in batches (the rules and the state model stay there); null where it has none.
   */
  async function fill(targets: readonly BadgeTarget[], pills: Array<Pill | null | undefined>): Promise<void> {
    const rest = targets.filter((_, i) => pills[i] === undefined);
    const got = new Map<string, Pill>();
    await ask(rest, got);
    targets.forEach((t, i) => {
      pills[i] ??= got.get(keyOf(t)) ?? null;
    });
  }

  async function scanOnce(scopes?: TreeScopes): Promise<void> {
    const page = opts.page();
    const targets = page ? findBadgeTargets(opts.doc, page, scopes) : [];
    let fresh = targets;
    if (mounted.size > 0) {
      const wanted = new Set(targets.map((t) => t.anchor));
      // Badges whose row left the page, whose anchor now shows something else, or that the
      // portal wiped out while re-rendering the anchor (e.g. setting a header's text), go.
      for (const [anchor, m] of mounted) {
        if (!anchor.isConnected || !wanted.has(anchor) || !m.badge.host.isConnected) {
          m.badge.remove();
          mounted.delete(anchor);
        }
      }
      for (const t of targets) {
        const m = mounted.get(t.anchor);
        if (m && keyOf(m.target) !== keyOf(t)) {
          m.badge.remove();
          mounted.delete(t.anchor);
        }
      }
      fresh = targets.filter((t) => !mounted.has(t.anchor));
    }
    if (fresh.length === 0) return;
    // From the index nothing is awaited: the badges go in before this call returns, in the
    // observer's callback, before the page lays out the rows that brought them (one layout,
    // no task of our own). After a round trip the page has moved on: then they are made in
    // slices of at most SLICE_MS, yielding in between, so that thousands never block the
    // portal in one long task, and go into the page together at the end (one layout).
    const pills = fromIndex(fresh);
    const asked = pills.includes(undefined);
    if (asked) {
      await fill(fresh, pills);
      if (controller.signal.aborted) return;
    }
    const made: BadgeHandle[] = [];
    let sliceStart = clock();
    try {
      for (let i = 0; i < fresh.length; i++) {
        const t = fresh[i]!;
        if (asked && clock() - sliceStart >= SLICE_MS) {
          await yieldToPage();
          if (controller.signal.aborted) return;
          sliceStart = clock();
        }
        const model = pills[i];
        // A relationship the cache does not know yet gets no badge (nothing wrong is shown).
        // Without a wait, the anchors are those just found in the page.
        if (!model || mounted.has(t.anchor) || (asked && !t.anchor.isConnected)) continue;
        const badge = opts.mount(t.anchor, idOf(t), propsOf(t, model), { deferPlace: true });
        mounted.set(t.anchor, { target: t, badge });
        made.push(badge);
      }
    } finally {
      if (!controller.signal.aborted) for (const badge of made) badge.place();
    }
  }

  async function scan(scopes?: TreeScopes): Promise<void> {
    if (controller.signal.aborted) return;
    if (scanning) {
      again = true;
      return scanning;
    }
    scanning = (async () => {
      try {
        // The observer's walk is the page as it is now: good for the first pass only.
        let walked = scopes;
        do {
          again = false;
          await scanOnce(walked);
          walked = undefined;
        } while (again && !controller.signal.aborted);
      } catch {
        // The background is restarting or the page changed under us: the next change retries.
      } finally {
        scanning = null;
      }
    })();
    return scanning;
  }

  async function refresh(): Promise<void> {
    opts.index?.forget();
    try {
      const current = [...mounted.values()];
      const targets = current.map((m) => m.target);
      const pills = fromIndex(targets);
      await fill(targets, pills);
      if (controller.signal.aborted) return;
      current.forEach((m, i) => {
        const model = pills[i];
        if (model) m.badge.update(model);
      });
    } catch {
      // Keep what is shown; the next change retries.
    }
    await scan();
  }

  void scan();

  return {
    refresh,
    scan,
    stop() {
      controller.abort();
      for (const m of mounted.values()) m.badge.remove();
      mounted.clear();
    },
  };
}
