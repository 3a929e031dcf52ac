import { render } from 'preact';
import { browser } from 'wxt/browser';
import { PopupApp } from '@/components/popup/App';
import { takeStatusRequest } from '@/components/popup/early-status';
import { createRuntimeApi } from '@/utils/messaging/client';
import '@/components/base.css';
import '@/components/popup/popup.css';

document.documentElement.lang = browser.i18n.getUILanguage().toLowerCase().startsWith('ko') ? 'ko' : 'en';
render(<PopupApp api={createRuntimeApi()} statusRequest={takeStatusRequest()} openOptions={() => void browser.runtime.openOptionsPage()} />, document.getElementById('app')!);
