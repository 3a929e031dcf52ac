import { Component } from 'preact';
import { i18n } from '#i18n';
import type { PromptReason } from '@/utils/portals/prompt';
import { mountShadowHost, styleAdopter, type MountedHost } from './shadow-host';

export interface SignedOutPromptProps {
  /** `sign-in`: not signed in; `sync`: signed in, nothing cached yet (utils/portals/prompt.ts). */
  reason: PromptReason;
  /** Opens the options page, where the partner signs in or syncs. */
  onSignIn: () => void;
  onDismiss?: () => void;
}

/** The one unobtrusive page prompt shown when GDAP Lens has nothing to show yet. */
export class SignedOutPrompt extends Component<SignedOutPromptProps, { open: boolean }> {
  constructor(props: SignedOutPromptProps) {
    super(props);
    this.state = { open: true };
  }

  override render() {
    if (!this.state.open) return null;
    const { reason, onSignIn, onDismiss } = this.props;
    const text = i18n.t(reason === 'sync' ? 'prompt.notSynced' : 'prompt.signedOut');
    return (
      <div class="g" role="status" aria-label={text}>
        <span>{text}</span>
        <button type="button" class="p" onClick={onSignIn}>
          {i18n.t(reason === 'sync' ? 'prompt.openToSync' : 'prompt.openOptions')}
        </button>
        <button
          type="button"
          class="c"
          aria-label={i18n.t('prompt.dismiss')}
          onClick={() => {
            this.setState({ open: false });
            onDismiss?.();
          }}
        >
          ×
        </button>
      </div>
    );
  }
}

/** Styles for the prompt's shadow root: readable on light and dark pages. */
export const SIGNED_OUT_PROMPT_CSS =
  ':host{all:initial}' +
  '.g{position:fixed;right:16px;bottom:16px;z-index:2147483000;display:flex;align-items:center;gap:8px;max-width:420px;padding:8px 10px;border-radius:8px;' +
  'font:13px/1.4 "Segoe UI",system-ui,-apple-system,"Noto Sans KR",sans-serif;background:#fff;color:#1b1b1b;border:1px solid #8a8886;box-shadow:0 4px 12px rgba(0,0,0,.18)}' +
  '.p{font:inherit;padding:4px 10px;border-radius:4px;cursor:pointer;border:1px solid #0f6cbd;background:#0f6cbd;color:#fff}' +
  '.c{font:inherit;font-size:16px;line-height:1;padding:2px 6px;cursor:pointer;border:0;background:none;color:inherit}' +
  'button:focus-visible{outline:2px solid #0f6cbd;outline-offset:2px}' +
  '@media (prefers-color-scheme:dark){.g{background:#292929;color:#f5f5f5;border-color:#6e6e6e}.p{background:#479ef5;border-color:#479ef5;color:#0b0b0b}}';

const addStyles = styleAdopter(SIGNED_OUT_PROMPT_CSS);

/**
 * Mounts the prompt in its own shadow host at the end of <body>. The host is the page's
 * one "signed-out" badge: `data-gdap-badge`, `data-state="signed-out"`.
 */
export function mountSignedOutPrompt(doc: Document, props: SignedOutPromptProps): MountedHost<SignedOutPromptProps> {
  return mountShadowHost(
    {
      component: SignedOutPrompt,
      display: 'block',
      addStyles,
      init(host) {
        host.setAttribute('data-gdap-badge', '');
        host.setAttribute('data-gdap-prompt', 'signed-out');
        host.setAttribute('data-state', 'signed-out');
      },
      place: (host) => (doc.body ?? doc.documentElement).append(host),
    },
    props,
  );
}
