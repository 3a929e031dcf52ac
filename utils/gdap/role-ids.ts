/**
 * Entra role template ids the rules and presets name, without the role catalog, so code that
 * runs in content scripts can use them without shipping all 123 role names. The catalog,
 * names and risk live in ./roles.ts (background and pages).
 */
export type RoleRisk = 'high' | 'medium' | 'low';

/** A role as the UI lists it: the background fills these from the catalog. */
export interface RoleLine {
  id: string;
  name: string;
  risk: RoleRisk;
}

export const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';
export const GLOBAL_READER = 'f2ef992c-3afb-46b9-b7cf-a126ee74c451';
export const DIRECTORY_READERS = '88d8e3e3-8f55-4a1e-953a-9b9898b8876b';
export const DIRECTORY_WRITERS = '9360feb5-f418-4baa-8175-e2a00bac4301';
export const LICENSE_ADMINISTRATOR = '4d6ac14f-3453-41d0-bef9-a3e0c569773a';
export const SERVICE_SUPPORT_ADMINISTRATOR = 'f023fd81-a637-4b56-95fd-791ac0226033';
export const USER_ADMINISTRATOR = 'fe930be7-5e62-47db-91af-98c3a49a38b1';
export const PRIVILEGED_ROLE_ADMINISTRATOR = 'e8611ab8-c189-46e8-94e1-60213ab1f814';
export const HELPDESK_ADMINISTRATOR = '729827e3-9c14-49f7-bb1b-9608f156bbb8';
export const PRIVILEGED_AUTHENTICATION_ADMINISTRATOR = '7be44c8a-adaf-4e2a-84d6-ab2649e08a13';
export const AUTHENTICATION_ADMINISTRATOR = 'c4e39bd9-1100-46d3-8c65-fb160da0071f';
export const APPLICATION_ADMINISTRATOR = '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3';
export const CLOUD_APPLICATION_ADMINISTRATOR = '158c047a-c907-4556-b7ef-446551a6b5f7';
export const EXTERNAL_IDENTITY_PROVIDER_ADMINISTRATOR = 'be2f45a1-457d-42af-a067-6ec1fa63bc45';
export const DOMAIN_NAME_ADMINISTRATOR = '8329153b-31d0-4727-b945-745eb3bc5f31';
export const EXCHANGE_ADMINISTRATOR = '29232cdf-9323-42fd-ade2-1d097af3e4de';
export const INTUNE_ADMINISTRATOR = '3a2c62db-5318-420d-8d74-23affee5d9d5';
export const TEAMS_ADMINISTRATOR = '69091246-20e8-4a56-aa4d-066075b2a7a8';
export const SECURITY_ADMINISTRATOR = '194ae4cb-b126-40b2-bd5b-6091b380977d';
export const SECURITY_OPERATOR = '5f2222b1-57c3-48ba-8ad5-d4759f1fde6f';
export const SECURITY_READER = '5d6b6bb7-de71-4623-b4af-96380a352509';
export const CONDITIONAL_ACCESS_ADMINISTRATOR = 'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9';
export const SHAREPOINT_ADMINISTRATOR = 'f28a1f50-f6e7-4571-818b-6a12f2af6b6c';
export const HYBRID_IDENTITY_ADMINISTRATOR = '8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2';
export const AUTHENTICATION_POLICY_ADMINISTRATOR = '0526716b-113d-4c15-b2c8-68e3c22b9f80';
export const AUTHENTICATION_EXTENSIBILITY_ADMINISTRATOR = '25a516ed-2fa0-40ea-a2d0-12923a21473a';
export const PARTNER_TIER2_SUPPORT = 'e00e864a-17c5-4a4b-9c06-f5b95a8d5bd8';
export const DIRECTORY_SYNCHRONIZATION_ACCOUNTS = 'd29b2b05-8046-44ba-8758-1e26182fcf32';
export const B2C_IEF_KEYSET_ADMINISTRATOR = 'aaf43236-0c0d-4d5f-883a-6955382ac081';
export const MESSAGE_CENTER_READER = '790c1fb9-7f7d-4f88-86a1-ef1f95c05c1b';
export const REPORTS_READER = '4a5d8f65-41da-4de4-8968-e035b65339cf';

/** True when the role ids include Global Administrator (R6: such a relationship never auto-extends). */
export function includesGlobalAdministrator(roleIds: readonly string[]): boolean {
  return roleIds.some((id) => id.trim().toLowerCase() === GLOBAL_ADMINISTRATOR);
}
