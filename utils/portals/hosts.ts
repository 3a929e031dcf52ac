/** Match patterns of the portals whose pages the content scripts augment (shared/portals.md). */
export const PARTNER_CENTER_MATCHES = ['https://partner.microsoft.com/*'];
export const ADMIN_CENTER_MATCHES = ['https://admin.microsoft.com/*', 'https://admin.cloud.microsoft/*'];
