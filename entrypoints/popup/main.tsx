import { render } from 'preact';
import '@/assets/page-theme.css';
import './popup.css';
import { t } from '@/utils/i18n';
import { uiLocale } from '@/utils/format-dates';
import { Popup } from './Popup';

document.documentElement.lang = uiLocale();
document.title = t('extName');
const root = document.getElementById('app');
if (root) render(<Popup hash={location.hash} />, root);
