/**
 * The admin center feature, for customer admins: on Settings → Partner relationships, a
 * badge per partner and a summary above the list; on a GDAP invitation, an approval panel.
 * Everything comes from the page itself (there is no API for a customer's partners), so
 * no sign-in is needed. The content script calls `scan()` from its one observer; the UI
 * comes in through `mounts`, so this logic stays testable without Preact.
 */
import { findPartnerRows, findSummaryAnchor, readInvitation, type AdminCenterPage, type Invitation, type PartnerRow } from '../portals/admin-center';
import { analyzeInvitation, partnerRisk, privilegedRoles, summarizePartners } from '../portals/admin-risk';

interface Handle<P> {
  readonly host: Element;
  update(props: P): void;
  remove(): void;
}

export interface AdminMounts<B, S, A> {
  badge(anchor: Element, key: { partnerName: string }, props: B): Handle<B>;
  summary(before: Element, props: S): Handle<S>;
  approval(anchor: Element, props: A, placement: Invitation['placement']): Handle<A>;
}

export interface AdminCenterFeatureOptions<B, S, A> {
  doc: Document;
  page: () => AdminCenterPage | null;
  mounts: AdminMounts<B, S, A>;
  /** Props the UI needs, built from the page's facts (keeps the UI's prop types out of here). */
  props: {
    badge(row: PartnerRow, now: Date): B;
    summary(rows: readonly PartnerRow[]): S;
    approval(invitation: Invitation, now: Date): A;
  };
  now?: () => Date;
}

/** Default prop builders for components/admin (PartnerBadge, PartnersSummary, ApprovalPanel). */
export const ADMIN_PROPS = {
  badge: (row: PartnerRow, now: Date) => ({ partner: row, ...partnerRisk(row, now), privilegedRoles: privilegedRoles(row.roleIds) }),
  summary: (rows: readonly PartnerRow[]) => ({ summary: summarizePartners(rows) }),
  approval: (invitation: Invitation, now: Date) => ({ analysis: analyzeInvitation(invitation, now) }),
};

/** What a row shows; a badge is re-rendered only when this changes. */
function signature(row: PartnerRow): string {
  return JSON.stringify([row.name, row.types, row.roleNames, row.gdapEnd]);
}

export function startAdminCenter<B, S, A>(opts: AdminCenterFeatureOptions<B, S, A>) {
  const now = opts.now ?? (() => new Date());
  const badges = new Map<Element, { handle: Handle<B>; signature: string }>();
  let summary: { handle: Handle<S>; before: Element; signature: string } | null = null;
  let approval: { handle: Handle<A>; anchor: Element; signature: string } | null = null;
  let stopped = false;

  const dropBadges = (keep: ReadonlySet<Element>) => {
    for (const [anchor, b] of badges) {
      if (!keep.has(anchor) || !anchor.isConnected || !b.handle.host.isConnected) {
        b.handle.remove();
        badges.delete(anchor);
      }
    }
  };

  function scanPartners(): void {
    const rows = findPartnerRows(opts.doc);
    dropBadges(new Set(rows.map((r) => r.anchor)));
    const at = now();
    for (const row of rows) {
      const sig = signature(row);
      const existing = badges.get(row.anchor);
      if (existing?.signature === sig) continue;
      if (existing) {
        existing.handle.update(opts.props.badge(row, at));
        existing.signature = sig;
      } else {
        badges.set(row.anchor, { handle: opts.mounts.badge(row.anchor, { partnerName: row.name }, opts.props.badge(row, at)), signature: sig });
      }
    }
    const before = rows.length > 0 ? findSummaryAnchor(opts.doc) : null;
    const sig = JSON.stringify(rows.map(signature));
    if (summary && (summary.before !== before || !summary.handle.host.isConnected)) {
      summary.handle.remove();
      summary = null;
    }
    if (before && !summary) summary = { handle: opts.mounts.summary(before, opts.props.summary(rows)), before, signature: sig };
    else if (summary && summary.signature !== sig) {
      summary.handle.update(opts.props.summary(rows));
      summary.signature = sig;
    }
  }

  function scanInvitation(relationshipId: string): void {
    const inv = readInvitation(opts.doc, relationshipId);
    if (approval && (!inv || approval.anchor !== inv.anchor || !approval.handle.host.isConnected)) {
      approval.handle.remove();
      approval = null;
    }
    if (!inv) return;
    const sig = JSON.stringify([inv.roleNames, inv.durationDays, inv.autoExtend, inv.state]);
    if (!approval) approval = { handle: opts.mounts.approval(inv.anchor, opts.props.approval(inv, now()), inv.placement), anchor: inv.anchor, signature: sig };
    else if (approval.signature !== sig) {
      approval.handle.update(opts.props.approval(inv, now()));
      approval.signature = sig;
    }
  }

  function clearAll(): void {
    dropBadges(new Set());
    summary?.handle.remove();
    summary = null;
    approval?.handle.remove();
    approval = null;
  }

  return {
    /** Brings the page's GDAP Lens UI in line with what the page shows now. Never throws. */
    scan(): void {
      if (stopped) return;
      try {
        const page = opts.page();
        if (page?.kind !== 'partners') {
          dropBadges(new Set());
          summary?.handle.remove();
          summary = null;
        }
        if (page?.kind !== 'gdap-invitation') {
          approval?.handle.remove();
          approval = null;
        }
        if (page?.kind === 'partners') scanPartners();
        else if (page?.kind === 'gdap-invitation') scanInvitation(page.relationshipId);
      } catch {
        // A page that changed shape gets nothing rather than something wrong.
        clearAll();
      }
    },
    stop(): void {
      stopped = true;
      clearAll();
    },
  };
}
