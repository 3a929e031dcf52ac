/**
 * utils/gdap/links.ts: reseller relationship links (D1, R31), the customer's admin portal
 * links (D2, shared/portals.md) and mailto: drafts (RFC 6068).
 */
import { describe, expect, it } from 'vitest';
import {
  MAILTO_MAX_LENGTH,
  PORTAL_IDS,
  indirectResellerInvitationUrl,
  invitationUrl,
  mailtoDraft,
  portalLinks,
  resellerInvitationUrl,
} from '@/utils/gdap/links';

const PARTNER = '11111111-2222-4333-8444-555555555555';
const PROVIDER = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const CUSTOMER = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

/** Decodes a mailto: URL the way a mail program does. */
function parseMailto(url: string): { to: string; subject: string | null; body: string | null } {
  expect(url.startsWith('mailto:')).toBe(true);
  const rest = url.slice('mailto:'.length);
  const q = rest.indexOf('?');
  const to = decodeURIComponent(q < 0 ? rest : rest.slice(0, q));
  const fields = new Map<string, string>();
  if (q >= 0) {
    for (const pair of rest.slice(q + 1).split('&')) {
      const eq = pair.indexOf('=');
      fields.set(pair.slice(0, eq), decodeURIComponent(pair.slice(eq + 1)));
    }
  }
  return { to, subject: fields.get('subject') ?? null, body: fields.get('body') ?? null };
}

describe('reseller relationship links', () => {
  it('D1, R31: the direct link carries the partner tenant ID, msppId=0 and DAP=false, exactly as Partner Center gives it', () => {
    expect(resellerInvitationUrl(PARTNER)).toBe(
      `https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship&partnerId=${PARTNER}&msppId=0&DAP=false#/BillingAccounts/partner-invitation`,
    );
    const url = new URL(resellerInvitationUrl(` ${PARTNER.toUpperCase()} `)!);
    expect(url.searchParams.get('partnerId')).toBe(PARTNER);
    expect(url.searchParams.get('DAP')).toBe('false');
    expect(url.searchParams.getAll('DAP')).toHaveLength(1);
    expect(url.hash).toBe('#/BillingAccounts/partner-invitation');
  });

  it('D1, R31: the indirect link names the reseller, its location and the indirect provider, with DAP=false', () => {
    const link = indirectResellerInvitationUrl({ resellerTenantId: PARTNER, locationId: '1234567', providerTenantId: PROVIDER });
    expect(link).toBe(
      `https://admin.microsoft.com/Adminportal/Home?invType=IndirectResellerRelationship&partnerId=${PARTNER}&msppId=1234567&indirectCSPId=${PROVIDER}&DAP=false#/BillingAccounts/partner-invitation`,
    );
    const url = new URL(link!);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      invType: 'IndirectResellerRelationship',
      partnerId: PARTNER,
      msppId: '1234567',
      indirectCSPId: PROVIDER,
      DAP: 'false',
    });
  });

  it.each([
    ['empty', ''],
    ['not a GUID', 'contoso.onmicrosoft.com'],
    ['a GUID with extra text', `${PARTNER}&DAP=true`],
    ['a GUID without hyphens', PARTNER.replace(/-/g, '')],
    ['markup', '<script>alert(1)</script>'],
  ])('refuses a partner tenant ID that is %s (no link rather than a wrong one)', (_name, id) => {
    expect(resellerInvitationUrl(id)).toBeNull();
    expect(indirectResellerInvitationUrl({ resellerTenantId: id, locationId: '1', providerTenantId: PROVIDER })).toBeNull();
    expect(indirectResellerInvitationUrl({ resellerTenantId: PARTNER, locationId: '1', providerTenantId: id })).toBeNull();
  });

  it.each([[''], ['12a'], ['-1'], ['1 2'], ['1&DAP=true'], ['1'.repeat(21)]])('refuses the location ID %j (digits only)', (locationId) => {
    expect(indirectResellerInvitationUrl({ resellerTenantId: PARTNER, locationId, providerTenantId: PROVIDER })).toBeNull();
  });

  it('the GDAP invitation link encodes the relationship id', () => {
    expect(invitationUrl('a/b?c#d')).toBe('https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/a%2Fb%3Fc%23d');
  });
});

describe('customer admin portal links (D2, shared/portals.md)', () => {
  it('with an initial domain: the {domain} patterns use it, Defender and Purview the tenant ID', () => {
    const links = portalLinks({ tenantId: CUSTOMER, domain: 'Contoso123.onmicrosoft.com' });
    expect(links.map((l) => l.id)).toEqual([...PORTAL_IDS]);
    expect(Object.fromEntries(links.map((l) => [l.id, l.url]))).toEqual({
      m365: 'https://admin.cloud.microsoft/?delegatedOrg=contoso123.onmicrosoft.com',
      exchange: 'https://admin.cloud.microsoft/exchange?delegatedOrg=contoso123.onmicrosoft.com',
      teams: 'https://admin.teams.microsoft.com/?delegatedOrg=contoso123.onmicrosoft.com',
      entra: 'https://entra.microsoft.com/contoso123.onmicrosoft.com',
      intune: 'https://intune.microsoft.com/contoso123.onmicrosoft.com',
      azure: 'https://portal.azure.com/contoso123.onmicrosoft.com',
      defender: `https://security.microsoft.com/?tid=${CUSTOMER}`,
      purview: `https://purview.microsoft.com/?tid=${CUSTOMER}`,
      partnerCenter: `https://partner.microsoft.com/dashboard/v2/customers/${CUSTOMER}/adminrelationships`,
    });
  });

  it('tenant only (no domain known): every link uses the tenant ID', () => {
    const links = portalLinks({ tenantId: CUSTOMER.toUpperCase(), domain: null });
    expect(Object.fromEntries(links.map((l) => [l.id, l.url]))).toEqual({
      m365: `https://admin.cloud.microsoft/?delegatedOrg=${CUSTOMER}`,
      exchange: `https://admin.cloud.microsoft/exchange?delegatedOrg=${CUSTOMER}`,
      teams: `https://admin.teams.microsoft.com/?delegatedOrg=${CUSTOMER}`,
      entra: `https://entra.microsoft.com/${CUSTOMER}`,
      intune: `https://intune.microsoft.com/${CUSTOMER}`,
      azure: `https://portal.azure.com/${CUSTOMER}`,
      defender: `https://security.microsoft.com/?tid=${CUSTOMER}`,
      purview: `https://purview.microsoft.com/?tid=${CUSTOMER}`,
      partnerCenter: `https://partner.microsoft.com/dashboard/v2/customers/${CUSTOMER}/adminrelationships`,
    });
  });

  it.each([[''], ['   '], ['evil.example/phish?x='], ['a..b'], ['-contoso.com'], ['contoso'], ['<img src=x>.com'], ['한국.com']])(
    'a domain that is not a plain DNS name (%j) falls back to the tenant ID',
    (domain) => {
      const links = portalLinks({ tenantId: CUSTOMER, domain });
      expect(links.find((l) => l.id === 'entra')?.url).toBe(`https://entra.microsoft.com/${CUSTOMER}`);
      for (const l of links) expect(new URL(l.url).hostname).not.toContain('evil');
    },
  );

  it('no links for a tenant ID that is not a GUID', () => {
    expect(portalLinks({ tenantId: 'contoso.onmicrosoft.com', domain: 'contoso.onmicrosoft.com' })).toEqual([]);
    expect(portalLinks({ tenantId: '', domain: null })).toEqual([]);
  });
});

describe('mailto drafts (RFC 6068)', () => {
  const link = resellerInvitationUrl(PARTNER)!;

  it('encodes &, ?, #, =, % and newlines so that they stay text; line breaks become %0D%0A', () => {
    const body = `Hello & welcome?\nOpen this link:\n${link}\r\n100% = done #1`;
    const url = mailtoDraft({ subject: 'Q&A? #1 = 100%', body, to: 'admin@contoso.com' });
    // Only one '?' and the field separator '&' are raw: everything else is encoded.
    expect(url.split('?')).toHaveLength(2);
    expect(url.split('&')).toHaveLength(2);
    expect(url).not.toContain('#');
    expect(url).toContain('%0D%0A');
    expect(url).not.toMatch(/%0A(?<!%0D%0A)/);
    expect(url).not.toMatch(/[\r\n ]/);
    const parsed = parseMailto(url);
    expect(parsed.to).toBe('admin@contoso.com');
    expect(parsed.subject).toBe('Q&A? #1 = 100%');
    expect(parsed.body).toBe(body.replace(/\r?\n/g, '\r\n'));
    expect(parsed.body).toContain(link);
  });

  it('Korean text round-trips as UTF-8 percent-encoding', () => {
    const url = mailtoDraft({ subject: '리셀러 관계 요청', body: '안녕하세요.\n아래 링크를 열어 주세요.' });
    expect(url).toMatch(/^mailto:\?subject=%EB%A6%AC/);
    expect(url).toMatch(/^[\x21-\x7e]+$/);
    expect(parseMailto(url)).toEqual({ to: '', subject: '리셀러 관계 요청', body: '안녕하세요.\r\n아래 링크를 열어 주세요.' });
  });

  it('a subject keeps no line break; a lone surrogate does not throw', () => {
    const parsed = parseMailto(mailtoDraft({ subject: 'a\r\nb\nc', body: 'x\uD800y' }));
    expect(parsed.subject).toBe('a b c');
    expect(parsed.body).toBe('x\uFFFDy');
  });

  it.each([['two@a.com,three@b.com'], ['x@y.com?body=evil'], ['not an address'], ['a@b.com&cc=c@d.com'], ['']])(
    'leaves out a recipient that is not one plain address (%j)',
    (to) => {
      const url = mailtoDraft({ subject: 's', body: 'b', to });
      expect(url.startsWith('mailto:?subject=s&body=b')).toBe(true);
    },
  );

  it(`never longer than ${MAILTO_MAX_LENGTH} characters: the body is cut at a word, politely, the start kept`, () => {
    const words = Array.from({ length: 800 }, (_, i) => `word${i}`).join(' ');
    const body = `${link}\n\n${words}`;
    const url = mailtoDraft({ subject: 'Reseller relationship', body, to: 'admin@contoso.com' });
    expect(url.length).toBeLessThanOrEqual(MAILTO_MAX_LENGTH);
    expect(url.length).toBeGreaterThan(MAILTO_MAX_LENGTH - 40);
    const parsed = parseMailto(url);
    expect(parsed.body!.startsWith(`${link}\r\n\r\n`)).toBe(true);
    expect(parsed.body!.endsWith('…')).toBe(true);
    // Cut between words: the last word before the ellipsis is whole.
    const last = parsed.body!.slice(0, -1).split(' ').at(-1)!;
    expect(words.split(' ')).toContain(last);
  });

  it('Korean and emoji bodies are cut on whole characters (no broken escape, no half surrogate pair)', () => {
    for (const unit of ['가', '🚀', '&']) {
      const url = mailtoDraft({ subject: unit.repeat(500), body: unit.repeat(5000) });
      expect(url.length, unit).toBeLessThanOrEqual(MAILTO_MAX_LENGTH);
      const parsed = parseMailto(url); // decodeURIComponent throws on a broken escape
      expect(parsed.subject!.length).toBeGreaterThan(0);
      expect(parsed.body!.endsWith('…')).toBe(true);
      expect(parsed.body!.slice(0, -1).replaceAll(unit, '')).toBe('');
    }
  });

  it('a short draft is not changed', () => {
    expect(mailtoDraft({ subject: 'Hi', body: 'Line 1\nLine 2' })).toBe('mailto:?subject=Hi&body=Line%201%0D%0ALine%202');
  });
});
