import { defineContentScript } from 'wxt/utils/define-content-script';
import { PARTNER_CENTER_MATCHES } from '@/utils/portals/hosts';
import { detectPartnerCenterPage, findBadgeTargets, isLinkHost } from '@/utils/portals/partner-center';
import { observeDeep } from '@/utils/portals/observe';
import type { TreeScopes } from '@/utils/portals/dom';
import { scriptLifetime, watchUrl } from '@/utils/portals/lifetime';
import { pagePrompt, type PromptReason } from '@/utils/portals/prompt';
import { contentApi } from '@/utils/messaging/direct';
import { startPartnerCenterBadges, type PartnerCenterBadges } from '@/utils/features/partner-center-badges';
import { createBadgeIndexSource, indexKindOf } from '@/utils/features/badge-index';
import { mountBadge, prepareBadges } from '@/components/badge/mount';
import { mountSignedOutPrompt } from '@/components/SignedOutPrompt';

const REFRESH_MS = 60 * 60_000;

export default defineContentScript({
  matches: PARTNER_CENTER_MATCHES,
  runAt: 'document_idle',
  main() {
    // Our own lifetime, not WXT's context (see utils/portals/lifetime.ts).
    const life = scriptLifetime();
    const api = contentApi;
    let url = location.href;
    const page = () => detectPartnerCenterPage(url);
    const index = createBadgeIndexSource(api);
    // Asked for now, while the portal is still fetching its rows; the badges are got ready
    // as soon as it arrives, so that the rows find their words made.
    const prepared = new WeakSet<object>();
    const prefetch = () => {
      const kind = indexKindOf(page());
      if (!kind) return;
      void index.get(kind).then((lookup) => {
        if (!lookup || prepared.has(lookup) || life.ended()) return;
        prepared.add(lookup);
        void prepareBadges(lookup.pills(), life.ended);
      });
    };
    /** undefined until the background answered; then why to prompt instead of badging (null: badges). */
    let prompting: PromptReason | null | undefined;
    let badges: PartnerCenterBadges | null = null;
    let prompt: ReturnType<typeof mountSignedOutPrompt> | null = null;
    let dismissed = false;
    let shownReason: PromptReason | null = null;

    /** `scopes`: the observer's walk of the page, when it has just made one (passed on, never kept). */
    const tick = (scopes?: TreeScopes) => {
      if (life.ended()) return;
      try {
        const p = page();
        const wantBadges = p !== null && prompting === null;
        if (!wantBadges && badges) {
          badges.stop();
          badges = null;
        }
        if (wantBadges) {
          badges ??= startPartnerCenterBadges({ api, doc: document, page, mount: mountBadge, index });
          void badges.scan(scopes);
        }
        // One prompt, only where the page has something GDAP Lens would badge.
        const wantPrompt = p !== null && !!prompting && !dismissed && (prompt !== null || findBadgeTargets(document, p, scopes).length > 0);
        if (wantPrompt) {
          const props = {
            reason: prompting as PromptReason,
            onSignIn: () => void api.send('openOptions').catch(() => undefined),
            onDismiss: () => (dismissed = true),
          };
          if (!prompt) prompt = mountSignedOutPrompt(document, props);
          else if (shownReason !== props.reason) prompt.update(props);
          shownReason = props.reason;
        } else if (prompt) {
          prompt.remove();
          prompt = null;
          shownReason = null;
        }
      } catch {
        // Never throw into the page: an unrecognised or changed page gets nothing.
      }
    };
    const recheckStatus = async () => {
      prompting = await pagePrompt(api);
      tick();
    };

    const observation = observeDeep(document, tick, { signal: life.signal, opaque: isLinkHost });
    watchUrl(
      (next) => {
        url = next;
        prefetch();
        tick();
      },
      { signal: life.signal },
    );
    // Sign-in, sync and cache changes arrive without a reload.
    const unsubscribe = api.onChange(() => {
      void recheckStatus().then(() => badges?.refresh());
    });
    // Days left are computed by the background when asked: re-ask now and then so that a
    // page left open over days keeps counting down.
    const refresh = setInterval(() => void (life.ended() || badges?.refresh()), REFRESH_MS);
    life.signal.addEventListener('abort', () => {
      clearInterval(refresh);
      unsubscribe();
      observation.disconnect();
      badges?.stop();
      prompt?.remove();
    });
    prefetch();
    void recheckStatus();
  },
});
