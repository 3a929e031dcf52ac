import { useState } from 'preact/hooks';
import { i18n } from '#i18n';

export interface OptionsProps {
  /** browser.identity.getRedirectURL(): what the partner registers as the SPA redirect URI. */
  redirectUri: string;
}

export function Options({ redirectUri }: OptionsProps) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(redirectUri);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <main class="options">
      <h1>{i18n.t('options.title')}</h1>
      <p class="muted">{i18n.t('options.intro')}</p>
      <h2 id="redirect-uri-label">{i18n.t('options.redirectUri')}</h2>
      <div class="copy-row">
        <code aria-labelledby="redirect-uri-label" data-testid="redirect-uri">{redirectUri}</code>
        <button type="button" onClick={() => void copy()}>
          {copied ? i18n.t('options.copied') : i18n.t('options.copy')}
        </button>
      </div>
      <h2>{i18n.t('options.registerTitle')}</h2>
      <ol>
        <li>{i18n.t('options.registerStep1')}</li>
        <li>{i18n.t('options.registerStep2')}</li>
        <li>{i18n.t('options.registerStep3')}</li>
        <li>{i18n.t('options.registerStep4')}</li>
      </ol>
    </main>
  );
}
