/**
 * The Microsoft clouds a partner can sign in to (shared/graph-contract.md, "Hosts and sign-in").
 * Pure data: used by the manifest (host permissions), the options page and the Graph client.
 */
export type CloudId = 'global' | 'usgov-l4' | 'usgov-l5' | 'china';

export interface Cloud {
  id: CloudId;
  /** Sign-in authority, without a trailing slash. */
  authority: string;
  /** Graph origin, without a trailing slash. */
  graph: string;
}

export const CLOUDS: Readonly<Record<CloudId, Cloud>> = {
  global: { id: 'global', authority: 'https://login.microsoftonline.com', graph: 'https://graph.microsoft.com' },
  'usgov-l4': { id: 'usgov-l4', authority: 'https://login.microsoftonline.us', graph: 'https://graph.microsoft.us' },
  'usgov-l5': { id: 'usgov-l5', authority: 'https://login.microsoftonline.us', graph: 'https://dod-graph.microsoft.us' },
  china: { id: 'china', authority: 'https://login.chinacloudapi.cn', graph: 'https://microsoftgraph.chinacloudapi.cn' },
};

export const DEFAULT_CLOUD: CloudId = 'global';

/** Match patterns the background needs for one cloud (sign-in and Graph). */
export function cloudHostPatterns(cloud: Cloud): string[] {
  return [...new Set([`${cloud.authority}/*`, `${cloud.graph}/*`])];
}
