import { defineContentScript } from 'wxt/utils/define-content-script';
import { ADMIN_CENTER_MATCHES } from '@/utils/portals/hosts';
import { detectAdminCenterPage } from '@/utils/portals/admin-center';
import { observeDeep } from '@/utils/portals/observe';
import { ADMIN_PROPS, startAdminCenter } from '@/utils/features/admin-center';
import { mountApprovalPanel, mountPartnerBadge, mountSummary } from '@/components/admin/mount';

export default defineContentScript({
  matches: ADMIN_CENTER_MATCHES,
  runAt: 'document_idle',
  main(ctx) {
    const feature = startAdminCenter({
      doc: document,
      page: () => detectAdminCenterPage(location.href),
      mounts: { badge: mountPartnerBadge, summary: mountSummary, approval: mountApprovalPanel },
      props: ADMIN_PROPS,
    });
    const tick = () => feature.scan();
    const observation = observeDeep(document, tick, { signal: ctx.signal });
    ctx.addEventListener(window, 'hashchange', tick);
    ctx.addEventListener(window, 'wxt:locationchange', () => setTimeout(tick, 0));
    ctx.onInvalidated(() => {
      observation.disconnect();
      feature.stop();
    });
    tick();
  },
});
