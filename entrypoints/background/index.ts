import { defineBackground } from '#imports';
import { watchCustomSites } from '@/utils/custom-sites';
import { registerCommands, registerContextMenu } from './context-menu';
import { startServiceWorker } from './service-worker';

export default defineBackground(() => {
  startServiceWorker();
  registerContextMenu();
  registerCommands();
  watchCustomSites();
});
