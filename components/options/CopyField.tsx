import { useState } from 'preact/hooks';
import { i18n } from '#i18n';

/** A value shown as code with a Copy button (the clipboard write needs the click's gesture). */
export function CopyField({ label, value, testId }: { label: string; value: string; testId?: string }) {
  const [copied, setCopied] = useState(false);
  const id = `copy-${testId ?? 'value'}`;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      setCopied(false);
    }
  };
  return (
    <div class="copy-field">
      <span id={id} class="label">
        {label}
      </span>
      <div class="copy-row">
        <code aria-labelledby={id} data-testid={testId}>
          {value}
        </code>
        <button type="button" onClick={() => void copy()} aria-live="polite">
          {copied ? i18n.t('options.copied') : i18n.t('options.copy')}
        </button>
      </div>
    </div>
  );
}
