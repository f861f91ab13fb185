import { render } from 'preact';
import '@/assets/page-theme.css';
import './options.css';
import { uiLocale } from '@/utils/format-dates';
import { t } from '@/utils/i18n';
import { Options } from './Options';

document.documentElement.lang = uiLocale();
document.title = t('optionsTitle');
const root = document.getElementById('app');
if (root) render(<Options />, root);
