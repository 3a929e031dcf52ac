/**
 * The admin center feature, for customer admins: on Settings → Partner relationships, a
 * badge per partner and a summary above the list; on a GDAP invitation, an approval panel.
 * Everything comes from the page itself (there is no API for a customer's partners), so
 * no sign-in is needed. The content script reads the page's texts
 * (utils/portals/admin-center-dom.ts) and asks the background what they mean
 * (`analyzePartners`, `analyzeInvitation`): the role catalog and the risk rules live there.
 * The content script calls `scan()` from its one observer; the UI comes in through
 * `mounts`, so this logic stays testable without Preact. Until the answer comes nothing
 * new is shown; no answer or a malformed one shows nothing; nothing here throws into the
 * page.
 */
import type { Api } from '../messaging/client';
import type { Guard } from '../messaging/shape';
import {
  findSummaryAnchor,
  readInvitationPage,
  readPartnerRows,
  type AdminCenterPage,
  type InvitationOnPage,
  type InvitationTexts,
  type PartnerRowOnPage,
  type PartnerRowTexts,
} from '../portals/admin-center-dom';
import { isInvitationView, isPartnersAnalysis } from '../portals/admin-answers';
import { ADMIN_PAGE_LIMITS, type InvitationView, type PartnerBadgeModel, type PartnerSummary, type PartnersAnalysis } from '../portals/admin-model';

interface Handle<P> {
  readonly host: Element;
  update(props: P): void;
  remove(): void;
}

export interface AdminMounts<B, S, A> {
  badge(anchor: Element, key: { partnerName: string }, props: B): Handle<B>;
  summary(before: Element, props: S): Handle<S>;
  approval(anchor: Element, props: A, placement: InvitationOnPage['placement']): Handle<A>;
}

/** What the page's texts mean; null (or a throw) for no answer. */
export interface AdminAnalyzer {
  /** One badge model per row, in order, and the summary. */
  partners(rows: PartnerRowTexts[]): Promise<PartnersAnalysis | null>;
  /** The approval panel's contents; null also when the invitation names no role. */
  invitation(texts: InvitationTexts): Promise<InvitationView | null>;
}

export interface AdminCenterFeatureOptions<B, S, A> {
  doc: Document;
  page: () => AdminCenterPage | null;
  mounts: AdminMounts<B, S, A>;
  analyzer: AdminAnalyzer;
  /** Props the UI needs, from the page and the background's answer (keeps the UI's prop types out of here). */
  props: {
    badge(row: PartnerRowOnPage, model: PartnerBadgeModel): B;
    summary(summary: PartnerSummary): S;
    approval(view: InvitationView): A;
  };
}

/** Default prop builders for components/admin (PartnerBadge, PartnersSummary, ApprovalPanel). */
export const ADMIN_PROPS = {
  badge: (row: PartnerRowOnPage, model: PartnerBadgeModel) => ({ ...model, name: row.name }),
  summary: (summary: PartnerSummary) => ({ summary }),
  approval: (analysis: InvitationView) => ({ analysis }),
};

const clip = (s: string) => s.slice(0, ADMIN_PAGE_LIMITS.text);

/** The answer when `guard` accepts it, else null (also for a failed send). */
const checked = <T>(answer: Promise<unknown>, guard: Guard<T>): Promise<T | null> =>
  answer.then(
    (a) => (a !== undefined && guard(a) ? a : null),
    () => null,
  );

/**
 * The analyzer the content script uses: the background, through the typed messages, with
 * the page's texts clipped to what the protocol accepts and the answers checked against
 * their shapes (utils/portals/admin-answers.ts, held to protocol.ts `ANSWERS`). There
 * is no time limit: until an answer comes the page shows nothing new, and an answer that
 * comes late is only used if the page still shows what was asked about.
 */
export function messagingAnalyzer(api: Pick<Api, 'send'>): AdminAnalyzer {
  return {
    async partners(rows) {
      const sent = rows.slice(0, ADMIN_PAGE_LIMITS.rows).map((t) => ({
        types: clip(t.types),
        roles: t.roles.slice(0, ADMIN_PAGE_LIMITS.roles).map(clip),
        end: t.end && { datetime: t.end.datetime && clip(t.end.datetime), text: clip(t.end.text) },
      }));
      const a = await checked(api.send('analyzePartners', { rows: sent }), isPartnersAnalysis);
      return a && a.partners.length === sent.length ? a : null;
    },
    invitation: (texts) =>
      checked(
        api.send('analyzeInvitation', {
          roles: texts.roles.slice(0, ADMIN_PAGE_LIMITS.roles).map((r) => ({ name: clip(r.name), id: r.id && clip(r.id) })),
          duration: texts.duration && clip(texts.duration),
          autoExtend: texts.autoExtend && clip(texts.autoExtend),
        }),
        isInvitationView,
      ),
  };
}

export function startAdminCenter<B, S, A>(opts: AdminCenterFeatureOptions<B, S, A>) {
  const badges = new Map<Element, { handle: Handle<B>; signature: string }>();
  let summary: { handle: Handle<S>; before: Element; signature: string } | null = null;
  let approval: { handle: Handle<A>; anchor: Element; signature: string } | null = null;
  let stopped = false;
  // What the page showed when the background was last asked, and its answer (`null`: none).
  // A page state is asked about once; what is on the page stays as it is until the answer.
  let askedRows = '';
  let rowsAnswer: { rows: string; answer: PartnersAnalysis | null } | null = null;
  let askedInvitation = '';
  let invitationAnswer: { texts: string; answer: InvitationView | null } | null = null;

  const dropBadges = (keep: ReadonlySet<Element>) => {
    for (const [anchor, b] of badges) {
      if (!keep.has(anchor) || !anchor.isConnected || !b.handle.host.isConnected) {
        b.handle.remove();
        badges.delete(anchor);
      }
    }
  };
  const dropSummary = () => {
    summary?.handle.remove();
    summary = null;
  };
  const dropApproval = () => {
    approval?.handle.remove();
    approval = null;
  };

  /** Asks `question`; its answer (`null` for none) goes to `keep`, then the page is scanned again. */
  function ask<T>(question: () => Promise<T | null>, keep: (answer: T | null) => void): void {
    const done = (answer: T | null) => {
      if (stopped) return;
      keep(answer);
      scan();
    };
    try {
      question().then(done, () => done(null));
    } catch {
      done(null);
    }
  }

  function scanPartners(): void {
    const rows = readPartnerRows(opts.doc);
    dropBadges(new Set(rows.map((r) => r.anchor)));
    const keys = rows.map((r) => JSON.stringify(r.texts));
    const all = JSON.stringify(keys);
    if (rows.length > 0 && all !== askedRows) {
      askedRows = all;
      ask(
        () => opts.analyzer.partners(rows.map((r) => r.texts)),
        (answer) => (rowsAnswer = { rows: all, answer }),
      );
    }
    const before = rows.length > 0 ? findSummaryAnchor(opts.doc) : null;
    if (summary && (summary.before !== before || !summary.handle.host.isConnected)) dropSummary();
    if (rowsAnswer?.rows !== all) return;
    const answer = rowsAnswer.answer;
    if (!answer) {
      // No answer for what the page shows: nothing rather than something out of date.
      dropBadges(new Set());
      return dropSummary();
    }
    rows.forEach((row, i) => {
      const model = answer.partners[i];
      if (!model) return;
      const sig = JSON.stringify([row.name, keys[i]]);
      const existing = badges.get(row.anchor);
      if (existing?.signature === sig) return;
      if (existing) {
        existing.handle.update(opts.props.badge(row, model));
        existing.signature = sig;
      } else {
        badges.set(row.anchor, { handle: opts.mounts.badge(row.anchor, { partnerName: row.name }, opts.props.badge(row, model)), signature: sig });
      }
    });
    if (!before) return;
    if (!summary) summary = { handle: opts.mounts.summary(before, opts.props.summary(answer.summary)), before, signature: all };
    else if (summary.signature !== all) {
      summary.handle.update(opts.props.summary(answer.summary));
      summary.signature = all;
    }
  }

  function scanInvitation(relationshipId: string): void {
    const inv = readInvitationPage(opts.doc, relationshipId);
    if (approval && (!inv || approval.anchor !== inv.anchor || !approval.handle.host.isConnected)) dropApproval();
    if (!inv) return;
    const texts = JSON.stringify(inv.texts);
    if (texts !== askedInvitation) {
      askedInvitation = texts;
      ask(
        () => opts.analyzer.invitation(inv.texts),
        (answer) => (invitationAnswer = { texts, answer }),
      );
    }
    if (invitationAnswer?.texts !== texts) return;
    const view = invitationAnswer.answer;
    // No answer, or a role list that names no role: no panel.
    if (!view) return dropApproval();
    const sig = JSON.stringify([texts, inv.state]);
    if (!approval) approval = { handle: opts.mounts.approval(inv.anchor, opts.props.approval(view), inv.placement), anchor: inv.anchor, signature: sig };
    else if (approval.signature !== sig) {
      approval.handle.update(opts.props.approval(view));
      approval.signature = sig;
    }
  }

  function clearAll(): void {
    dropBadges(new Set());
    dropSummary();
    dropApproval();
  }

  /** Brings the page's GDAP Lens UI in line with what the page shows now. Never throws. */
  function scan(): void {
    if (stopped) return;
    try {
      const page = opts.page();
      if (page?.kind !== 'partners') {
        dropBadges(new Set());
        dropSummary();
      }
      if (page?.kind !== 'gdap-invitation') dropApproval();
      if (page?.kind === 'partners') scanPartners();
      else if (page?.kind === 'gdap-invitation') scanInvitation(page.relationshipId);
    } catch {
      // A page that changed shape gets nothing rather than something wrong.
      clearAll();
    }
  }

  return {
    scan,
    stop(): void {
      stopped = true;
      clearAll();
    },
  };
}
