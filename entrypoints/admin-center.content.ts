import { defineContentScript } from 'wxt/utils/define-content-script';
import { ADMIN_CENTER_MATCHES } from '@/utils/portals/hosts';
import { detectAdminCenterPage } from '@/utils/portals/admin-center-dom';
import { observeDeep } from '@/utils/portals/observe';
import { scriptLifetime, watchUrl } from '@/utils/portals/lifetime';
import { directApi } from '@/utils/messaging/direct';
import { ADMIN_PROPS, messagingAnalyzer, startAdminCenter } from '@/utils/features/admin-center';
import { mountApprovalPanel, mountPartnerBadge, mountSummary } from '@/components/admin/mount';

export default defineContentScript({
  matches: ADMIN_CENTER_MATCHES,
  runAt: 'document_idle',
  main() {
    // Our own lifetime, not WXT's context (see utils/portals/lifetime.ts).
    const life = scriptLifetime();
    const feature = startAdminCenter({
      doc: document,
      page: () => detectAdminCenterPage(location.href),
      mounts: { badge: mountPartnerBadge, summary: mountSummary, approval: mountApprovalPanel },
      // What the page's texts mean comes from the background, where the role catalog lives.
      analyzer: messagingAnalyzer(directApi),
      props: ADMIN_PROPS,
    });
    const tick = () => {
      if (!life.ended()) feature.scan();
    };
    const observation = observeDeep(document, tick, { signal: life.signal });
    window.addEventListener('hashchange', tick, { signal: life.signal });
    watchUrl(() => setTimeout(tick, 0), { signal: life.signal });
    life.signal.addEventListener('abort', () => {
      observation.disconnect();
      feature.stop();
    });
    tick();
  },
});
