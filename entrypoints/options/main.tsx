import { render } from 'preact';
import { browser } from 'wxt/browser';
import { Options } from '@/components/Options';
import '@/components/base.css';

document.documentElement.lang = navigator.language.toLowerCase().startsWith('ko') ? 'ko' : 'en';
render(<Options redirectUri={browser.identity.getRedirectURL()} />, document.getElementById('app')!);
