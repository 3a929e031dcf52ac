import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { i18n } from '#i18n';
import { createBackgroundApp } from '@/utils/background/app';
import { createRouter } from '@/utils/messaging/router';
import { onMessage, PAYLOADS, type Command } from '@/utils/messaging/protocol';
import { extensionArea } from '@/utils/storage-area';

export default defineBackground({
  type: 'module',
  main() {
    const t = i18n.t as unknown as (key: string, substitutions?: Array<string | number>) => string;
    const app = createBackgroundApp({
      redirectUri: browser.identity.getRedirectURL(),
      local: extensionArea(browser.storage.local),
      session: extensionArea(browser.storage.session),
      async launchWebAuthFlow(url, interactive) {
        const redirect = await browser.identity.launchWebAuthFlow({ url, interactive });
        if (!redirect) throw new Error('The sign-in window closed without an answer.');
        return redirect;
      },
      fetch: (input, init) => fetch(input, init),
      async setBadge(text, title) {
        await browser.action.setBadgeText({ text });
        await browser.action.setBadgeBackgroundColor({ color: '#c50f1f' });
        await browser.action.setTitle({ title: title || t('actionTitle') });
      },
      notify: async (id, title, message) => {
        await browser.notifications.create(id, { type: 'basic', iconUrl: browser.runtime.getURL('/icon/128.png'), title, message });
      },
      openTab: async (url) => void (await browser.tabs.create({ url })),
      openOptions: () => browser.runtime.openOptionsPage(),
      async setAlarm(name, periodInMinutes) {
        if (periodInMinutes === null) return void (await browser.alarms.clear(name));
        const existing = await browser.alarms.get(name);
        if (existing?.periodInMinutes !== periodInMinutes) await browser.alarms.create(name, { periodInMinutes, delayInMinutes: periodInMinutes });
      },
      t,
    });

    const router = createRouter(app.handlers, { ownId: browser.runtime.id, ownOrigin: browser.runtime.getURL('/') });
    for (const command of Object.keys(PAYLOADS) as Command[]) {
      onMessage(command, (async ({ data, sender }: { data: unknown; sender: unknown }) => {
        const r = await router.dispatch(command, data, sender as Parameters<typeof router.dispatch>[2]);
        return r.handled ? r.result : undefined;
      }) as never);
    }
    browser.alarms.onAlarm.addListener((alarm) => void app.onAlarm(alarm.name));
    browser.notifications.onClicked.addListener((id) => void app.onNotificationClicked(id));
    void app.onStartup();
  },
});
