import { render } from 'preact';
import { browser } from 'wxt/browser';
import { Popup } from '@/components/Popup';
import { createRuntimeApi } from '@/utils/messaging/client';
import '@/components/base.css';

document.documentElement.lang = browser.i18n.getUILanguage().toLowerCase().startsWith('ko') ? 'ko' : 'en';
render(<Popup api={createRuntimeApi()} openOptions={() => void browser.runtime.openOptionsPage()} />, document.getElementById('app')!);
