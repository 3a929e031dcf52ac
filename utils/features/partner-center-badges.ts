/**
 * The Partner Center badges feature: finds the rows and headers the portal module knows
 * (utils/portals/partner-center.ts), asks the background for their data in batches, and
 * mounts one badge per target. The content script calls `scan()` from its one observer
 * (late rows, pagination, client-side navigation); a target is never badged twice, and
 * `refresh()` re-reads every badge when the background reports a change. Nothing it does
 * throws into the page.
 */
import type { Api } from '../messaging/client';
import type { RelationshipView } from '../messaging/protocol';
import type { CustomerSummary } from '../gdap/summary';
import { customerBadgeModel, relationshipBadgeModel, type BadgeModel } from '../portals/badge-model';
import { findBadgeTargets, type BadgeTarget, type PartnerCenterPage } from '../portals/partner-center';

/** What the feature needs of a mounted badge (components/badge/mount.ts provides it). */
export interface BadgeHandle {
  /** The badge's host element; the portal may remove it when it re-renders the anchor. */
  readonly host: Element;
  update(model: BadgeModel, props?: Partial<BadgeCallbacks>): void;
  remove(): void;
}

export interface BadgeCallbacks {
  loadDetails: () => Promise<RelationshipView[]>;
  onEnableAutoExtend?: (relationshipId: string) => Promise<{ ok: boolean; messageKey?: string }>;
  now?: () => Date;
}

export type MountFn = (
  anchor: Element,
  key: { tenantId: string } | { relationshipId: string },
  props: BadgeCallbacks & { model: BadgeModel },
) => BadgeHandle;

export interface PartnerCenterBadgesOptions {
  api: Pick<Api, 'send'>;
  doc: Document;
  /** The page kind now; re-read on every scan (client-side navigation). */
  page: () => PartnerCenterPage | null;
  mount: MountFn;
  now?: () => Date;
}

/** The background's batch limit per message. */
const BATCH = 1000;

interface Mounted {
  target: BadgeTarget;
  badge: BadgeHandle;
}

const keyOf = (t: BadgeTarget): string =>
  t.kind === 'customer-row' || t.kind === 'customer-header' ? `t:${t.tenantId}` : `r:${t.relationshipId}`;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += BATCH) out.push(items.slice(i, i + BATCH));
  return out;
}

export interface PartnerCenterBadges {
  /** Re-reads every badge's data (the background reported a change). */
  refresh(): Promise<void>;
  /** Looks for new targets now (also called by the observer). */
  scan(): Promise<void>;
  stop(): void;
}

export function startPartnerCenterBadges(opts: PartnerCenterBadgesOptions): PartnerCenterBadges {
  const now = opts.now ?? (() => new Date());
  const mounted = new Map<Element, Mounted>();
  const controller = new AbortController();
  let scanning: Promise<void> | null = null;
  let again = false;

  const callbacks = (t: BadgeTarget): BadgeCallbacks => ({
    now,
    loadDetails: async () => {
      try {
        if (t.kind === 'customer-row' || t.kind === 'customer-header') {
          return (await opts.api.send('getCustomerRelationships', { tenantId: t.tenantId })) ?? [];
        }
        const v = await opts.api.send('getRelationship', { id: t.relationshipId });
        return v ? [v] : [];
      } catch {
        return [];
      }
    },
    onEnableAutoExtend: async (id) => {
      try {
        const r = await opts.api.send('setAutoExtend', { id, on: true });
        return r?.ok ? { ok: true } : { ok: false, ...(r && !r.ok ? { messageKey: r.error.messageKey } : {}) };
      } catch {
        return { ok: false };
      }
    },
  });

  /** Models for the targets, fetched in batches: customer summaries and relationships. */
  async function models(targets: readonly BadgeTarget[]): Promise<Map<string, BadgeModel>> {
    const at = now();
    const tenants = [...new Set(targets.flatMap((t) => (t.kind === 'customer-row' || t.kind === 'customer-header' ? [t.tenantId] : [])))];
    const relIds = [...new Set(targets.flatMap((t) => (t.kind === 'relationship-row' || t.kind === 'relationship-header' ? [t.relationshipId] : [])))];
    const out = new Map<string, BadgeModel>();
    const [summaries, relationships] = await Promise.all([
      Promise.all(chunks(tenants).map((tenantIds) => opts.api.send('getSummaries', { tenantIds }))),
      Promise.all(chunks(relIds).map((ids) => opts.api.send('getRelationships', { ids }))),
    ]);
    for (const batch of summaries) {
      for (const [tenantId, summary] of Object.entries(batch ?? {})) out.set(`t:${tenantId}`, customerBadgeModel(summary as CustomerSummary, at));
    }
    for (const batch of relationships) {
      for (const [id, view] of Object.entries(batch ?? {})) if (view) out.set(`r:${id}`, relationshipBadgeModel(view, at));
    }
    return out;
  }

  async function scanOnce(): Promise<void> {
    const page = opts.page();
    const targets = page ? findBadgeTargets(opts.doc, page) : [];
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
    const fresh = targets.filter((t) => !mounted.has(t.anchor));
    if (fresh.length === 0) return;
    const byKey = await models(fresh);
    if (controller.signal.aborted) return;
    for (const t of fresh) {
      const model = byKey.get(keyOf(t));
      // A relationship the cache does not know yet gets no badge (nothing wrong is shown).
      if (!model || mounted.has(t.anchor) || !t.anchor.isConnected) continue;
      const key = t.kind === 'customer-row' || t.kind === 'customer-header' ? { tenantId: t.tenantId } : { relationshipId: t.relationshipId };
      mounted.set(t.anchor, { target: t, badge: opts.mount(t.anchor, key, { model, ...callbacks(t) }) });
    }
  }

  async function scan(): Promise<void> {
    if (controller.signal.aborted) return;
    if (scanning) {
      again = true;
      return scanning;
    }
    scanning = (async () => {
      try {
        do {
          again = false;
          await scanOnce();
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
    try {
      const current = [...mounted.values()];
      const byKey = await models(current.map((m) => m.target));
      if (controller.signal.aborted) return;
      for (const m of current) {
        const model = byKey.get(keyOf(m.target));
        if (model) m.badge.update(model);
      }
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
