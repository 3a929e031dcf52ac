import { browser } from 'wxt/browser';
import { i18n } from '#i18n';

export function Popup() {
  return (
    <main class="popup">
      <h1>{i18n.t('popup.title')}</h1>
      <p>{i18n.t('popup.signedOut')}</p>
      <button type="button" onClick={() => void browser.runtime.openOptionsPage()}>
        {i18n.t('popup.openOptions')}
      </button>
    </main>
  );
}
