import { render } from 'preact';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { PARTNER_CENTER_MATCHES } from '@/utils/portals/hosts';
import { detectPartnerCenterPage } from '@/utils/portals/partner-center';
import { sendMessage } from '@/utils/messaging/protocol';
import { SignedOutPrompt, SIGNED_OUT_PROMPT_CSS } from '@/components/SignedOutPrompt';

export default defineContentScript({
  matches: PARTNER_CENTER_MATCHES,
  runAt: 'document_idle',
  async main(ctx) {
    let prompt: Awaited<ReturnType<typeof mountPrompt>> | null = null;
    const update = async (url: URL | string) => {
      try {
        const page = detectPartnerCenterPage(url);
        if (page && !prompt) {
          prompt = await mountPrompt(ctx);
        } else if (!page && prompt) {
          prompt.remove();
          prompt = null;
        }
      } catch {
        // Never throw into the page: an unrecognised or changed page gets nothing.
      }
    };
    // The Navigation API announces a change before it commits: read the event's URL, not location.
    ctx.addEventListener(window, 'wxt:locationchange', (event) => void update(event.newUrl));
    await update(location.href);
  },
});

async function mountPrompt(ctx: ContentScriptContext) {
  const ui = await createShadowRootUi(ctx, {
    name: 'gdap-lens-prompt',
    position: 'inline',
    anchor: 'body',
    append: 'last',
    css: SIGNED_OUT_PROMPT_CSS,
    onMount(container, _shadow, host) {
      host.setAttribute('data-gdap-prompt', 'signed-out');
      render(<SignedOutPrompt onSignIn={() => void sendMessage('openOptions', undefined).catch(() => undefined)} />, container);
      return container;
    },
    onRemove(container) {
      if (container) render(null, container);
    },
  });
  ui.mount();
  return ui;
}
