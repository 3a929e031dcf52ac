import { render } from 'preact';
import { Popup } from '@/components/Popup';
import '@/components/base.css';

document.documentElement.lang = navigator.language.toLowerCase().startsWith('ko') ? 'ko' : 'en';
render(<Popup />, document.getElementById('app')!);
