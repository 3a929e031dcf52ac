import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { onMessage } from '@/utils/messaging/protocol';
import { isOwnSender } from '@/utils/messaging/guard';

export default defineBackground({
  type: 'module',
  main() {
    onMessage('openOptions', async ({ sender }) => {
      if (!isOwnSender(sender, browser.runtime.id)) return;
      await browser.runtime.openOptionsPage();
    });
  },
});
