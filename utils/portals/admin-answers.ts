/**
 * The admin center content script's check of the background's answers: the same shapes as
 * protocol.ts `ANSWERS` (test/unit/messaging-shape.test.ts holds them together), built with
 * the small guards of utils/messaging/shape.ts. A module of its own, so that nothing else
 * that imports ./admin-model.ts builds them.
 */
import { bool, count, listOf, maybe, num, obj, oneOf, str, type Guard } from '../messaging/shape';
import { RISK_REASONS, type InvitationRole, type InvitationView, type PartnerBadgeModel, type PartnerSummary, type PartnersAnalysis } from './admin-model';

export const isPartnersAnalysis: Guard<PartnersAnalysis> = obj<PartnersAnalysis>({
  partners: listOf(
    obj<PartnerBadgeModel>({
      types: obj({ reseller: bool, dap: bool, gdap: bool }),
      roleCount: count,
      gdapEnd: maybe(str),
      risk: oneOf('high', 'medium', 'low', 'none'),
      reasons: listOf(oneOf(...RISK_REASONS)),
      privilegedRoles: listOf(str),
      roles: obj({ privileged: listOf(str), other: listOf(str) }),
    }),
  ),
  summary: obj<PartnerSummary>({ total: count, withAdminAccess: count, viaDap: count, withGlobalAdmin: count }),
});

export const isInvitationView: Guard<InvitationView | null> = maybe(
  obj<InvitationView>({
    roles: listOf(obj<InvitationRole>({ id: maybe(str), name: str, risk: oneOf('high', 'medium', 'low'), explanationKey: str })),
    durationDays: maybe(num),
    endDate: maybe(str),
    autoExtend: maybe(oneOf('on', 'off', 'not-allowed')),
    exceeds: listOf(obj({ presetId: oneOf('read-only', 'support-tickets'), extraRoleIds: listOf(str) })),
  }),
);
