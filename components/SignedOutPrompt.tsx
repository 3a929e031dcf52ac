/** @jsxRuntime classic */
/** @jsx h */
// Classic JSX (Preact's `h`): content scripts then carry no JSX runtime of their own.
import { Component, h } from 'preact';
import { t } from './text';
import type { PromptReason } from '@/utils/portals/prompt';
import { mountShadowHost, styleAdopter, type MountedHost } from './shadow-host';
import { BADGE_CSS } from './badge/styles';

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
    const text = t(reason === 'sync' ? 'prompt.notSynced' : 'prompt.signedOut');
    return (
      <div class="b g" role="status" aria-label={text}>
        <span>{text}</span>
        <span class="a">
          <button type="button" onClick={onSignIn}>
            {t(reason === 'sync' ? 'prompt.openToSync' : 'prompt.openOptions')}
          </button>
        </span>
        <button
          type="button"
          class="c"
          aria-label={t('prompt.dismiss')}
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

// The badges' sheet (their colours, fonts, buttons) with the prompt's own rules (`.g`).
const addStyles = styleAdopter(BADGE_CSS);

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
