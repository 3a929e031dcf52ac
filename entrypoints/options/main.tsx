import { render } from 'preact';
import { browser } from 'wxt/browser';
import { Options } from '@/components/options/Options';
import { createRuntimeApi } from '@/utils/messaging/client';
import { CLOUDS, cloudHostPatterns } from '@/utils/graph/clouds';
import '@/components/base.css';

document.documentElement.lang = browser.i18n.getUILanguage().toLowerCase().startsWith('ko') ? 'ko' : 'en';
render(
  <Options
    api={createRuntimeApi()}
    redirectUri={browser.identity.getRedirectURL()}
    requestCloudPermission={(cloud) => browser.permissions.request({ origins: cloudHostPatterns(CLOUDS[cloud]) })}
  />,
  document.getElementById('app')!,
);
