import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { startStatusRequest } from '@/components/popup/early-status';

/** popup.html's first script: asks the background for the status (see components/popup/early-status.ts). */
export default defineUnlistedScript(() => startStatusRequest());
