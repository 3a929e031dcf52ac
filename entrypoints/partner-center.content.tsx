import { render } from 'preact';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { PARTNER_CENTER_MATCHES } from '@/utils/portals/hosts';
import { detectPartnerCenterPage } from '@/utils/portals/partner-center';
import { createRuntimeApi } from '@/utils/messaging/client';
import { needsSignInPrompt } from '@/utils/portals/prompt';
import { SignedOutPrompt, SIGNED_OUT_PROMPT_CSS } from '@/components/SignedOutPrompt';

export default defineContentScript({
  matches: PARTNER_CENTER_MATCHES,
  runAt: 'document_idle',
  async main(ctx) {
    const api = createRuntimeApi();
    let prompt: Awaited<ReturnType<typeof mountPrompt>> | null = null;
    let url: string = location.href;
    const update = async () => {
      try {
        const show = detectPartnerCenterPage(url) !== null && (await needsSignInPrompt(api));
        if (show && !prompt) prompt = await mountPrompt(ctx, () => void api.send('openOptions').catch(() => undefined));
        else if (!show && prompt) {
          prompt.remove();
          prompt = null;
        }
      } catch {
        // Never throw into the page: an unrecognised or changed page gets nothing.
      }
    };
    // The Navigation API announces a change before it commits: read the event's URL, not location.
    ctx.addEventListener(window, 'wxt:locationchange', (event) => {
      url = event.newUrl.href;
      void update();
    });
    // Sign-in, sync and cache changes arrive without a reload.
    const unsubscribe = api.onChange(() => void update());
    ctx.onInvalidated(unsubscribe);
    await update();
  },
});

async function mountPrompt(ctx: ContentScriptContext, onSignIn: () => void) {
  const ui = await createShadowRootUi(ctx, {
    name: 'gdap-lens-prompt',
    position: 'inline',
    anchor: 'body',
    append: 'last',
    css: SIGNED_OUT_PROMPT_CSS,
    onMount(container, _shadow, host) {
      host.setAttribute('data-gdap-prompt', 'signed-out');
      render(<SignedOutPrompt onSignIn={onSignIn} />, container);
      return container;
    },
    onRemove(container) {
      if (container) render(null, container);
    },
  });
  ui.mount();
  return ui;
}
