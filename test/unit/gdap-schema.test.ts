import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseAccessAssignment,
  parseAccessAssignmentPage,
  parseCustomer,
  parseCustomerPage,
  parseGraphError,
  parseListPage,
  parseRelationship,
  parseRelationshipOperation,
  parseRelationshipPage,
  parseRelationshipRequest,
  type ParseResult,
} from '@/utils/gdap/schema';
import { normalizeDateTime } from '@/utils/gdap/dates';

const GA = '62e90394-69f5-4237-9190-012177145e10';
const GR = 'f2ef992c-3afb-46b9-b7cf-a126ee74c451';

/** A relationship as Graph v1.0 sends it. */
function graphRelationship(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    '@odata.etag': 'W/"JyIwMzAwYjYxNi0wMDAwLTAyMDAtMDAwMC02MzZhMDY3ZTAwMDAiJw=="',
    id: '5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836',
    displayName: 'Contoso admin relationship',
    duration: 'P730D',
    status: 'active',
    autoExtendDuration: 'P180D',
    createdDateTime: '2022-02-10T11:24:42.3148266Z',
    lastModifiedDateTime: '2022-02-10T11:26:44.9941884Z',
    activatedDateTime: '2022-02-10T11:26:44.9941884Z',
    endDateTime: '2024-02-10T11:26:44.9941884Z',
    customer: { tenantId: '52eaad04-13a2-4a2f-9ce8-93a294fadf36', displayName: 'Contoso Inc' },
    accessDetails: {
      unifiedRoles: [{ roleDefinitionId: GA.toUpperCase() }, { roleDefinitionId: GR }, { roleDefinitionId: GA }],
    },
    ...overrides,
  };
}

function expectOk<T>(r: ParseResult<T>): T {
  if (!r.ok) throw new Error(`expected ok, got issues: ${r.issues.join(' | ')}`);
  return r.value;
}

describe('parseRelationship', () => {
  it('normalises a Graph relationship into the domain object', () => {
    const rel = expectOk(parseRelationship(graphRelationship()));
    expect(rel).toEqual({
      id: '5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836',
      displayName: 'Contoso admin relationship',
      status: 'active',
      rawStatus: 'active',
      duration: 'P730D',
      autoExtendDuration: 'P180D',
      customer: { tenantId: '52eaad04-13a2-4a2f-9ce8-93a294fadf36', displayName: 'Contoso Inc' },
      roleIds: [GA, GR],
      createdDateTime: '2022-02-10T11:24:42.314Z',
      lastModifiedDateTime: '2022-02-10T11:26:44.994Z',
      activatedDateTime: '2022-02-10T11:26:44.994Z',
      endDateTime: '2024-02-10T11:26:44.994Z',
      etag: 'W/"JyIwMzAwYjYxNi0wMDAwLTAyMDAtMDAwMC02MzZhMDY3ZTAwMDAiJw=="',
      odataType: null,
      isReseller: false,
      indirectProviderTenantId: null,
      isPartnerConsentPending: null,
    });
  });

  it('reads the reseller variant', () => {
    const rel = expectOk(
      parseRelationship(
        graphRelationship({
          '@odata.type': '#microsoft.graph.resellerDelegatedAdminRelationship',
          indirectProviderTenantId: '11111111-2222-3333-4444-555555555555',
          isPartnerConsentPending: true,
        }),
      ),
    );
    expect(rel.isReseller).toBe(true);
    expect(rel.odataType).toBe('#microsoft.graph.resellerDelegatedAdminRelationship');
    expect(rel.indirectProviderTenantId).toBe('11111111-2222-3333-4444-555555555555');
    expect(rel.isPartnerConsentPending).toBe(true);
  });

  it('keeps every Graph status and maps unknown ones to "unknown" with the raw string kept', () => {
    const statuses = [
      'created',
      'approvalPending',
      'approved',
      'activating',
      'active',
      'expiring',
      'expired',
      'terminationRequested',
      'terminating',
      'terminated',
    ];
    for (const s of statuses) expect(expectOk(parseRelationship(graphRelationship({ status: s }))).status).toBe(s);
    for (const s of ['unknownFutureValue', 'suspended', 'ACTIVE', '']) {
      const rel = expectOk(parseRelationship(graphRelationship({ status: s })));
      expect(rel.status).toBe('unknown');
      expect(rel.rawStatus).toBe(s);
    }
    const missing = graphRelationship();
    delete missing.status;
    expect(expectOk(parseRelationship(missing))).toMatchObject({ status: 'unknown', rawStatus: '' });
  });

  it('turns missing, null, "" and unparseable dates into null', () => {
    const rel = expectOk(
      parseRelationship(
        graphRelationship({
          activatedDateTime: '',
          endDateTime: null,
          lastModifiedDateTime: 'yesterday',
          createdDateTime: undefined,
        }),
      ),
    );
    expect(rel.activatedDateTime).toBeNull();
    expect(rel.endDateTime).toBeNull();
    expect(rel.lastModifiedDateTime).toBeNull();
    expect(rel.createdDateTime).toBeNull();
    const numeric = expectOk(parseRelationship(graphRelationship({ endDateTime: 1_700_000_000_000 })));
    expect(numeric.endDateTime).toBeNull();
  });

  it('tolerates a missing, null or partial customer', () => {
    const none = graphRelationship();
    delete none.customer;
    expect(expectOk(parseRelationship(none)).customer).toEqual({ tenantId: null, displayName: null });
    expect(expectOk(parseRelationship(graphRelationship({ customer: null }))).customer).toEqual({
      tenantId: null,
      displayName: null,
    });
    expect(expectOk(parseRelationship(graphRelationship({ customer: { displayName: 'Fabrikam' } }))).customer).toEqual({
      tenantId: null,
      displayName: 'Fabrikam',
    });
    expect(expectOk(parseRelationship(graphRelationship({ customer: 'odd' }))).customer.tenantId).toBeNull();
  });

  it('gives an empty role list when roles are missing and drops malformed role entries', () => {
    const none = graphRelationship();
    delete none.accessDetails;
    expect(expectOk(parseRelationship(none)).roleIds).toEqual([]);
    expect(expectOk(parseRelationship(graphRelationship({ accessDetails: {} }))).roleIds).toEqual([]);
    expect(expectOk(parseRelationship(graphRelationship({ accessDetails: { unifiedRoles: null } }))).roleIds).toEqual([]);
    const mixed = graphRelationship({
      accessDetails: { unifiedRoles: [{ roleDefinitionId: GR }, {}, null, 'x', { roleDefinitionId: 42 }, { roleDefinitionId: '' }] },
    });
    expect(expectOk(parseRelationship(mixed)).roleIds).toEqual([GR]);
  });

  it('ignores unknown extra properties', () => {
    const rel = expectOk(parseRelationship(graphRelationship({ newShinyField: { a: 1 }, '@odata.context': 'x' })));
    expect(Object.keys(rel)).not.toContain('newShinyField');
    expect(rel.displayName).toBe('Contoso admin relationship');
  });

  it('passes hostile strings through untouched', () => {
    const hostile = [
      '<img src=x onerror=alert(1)>',
      '<script>alert("x")</script>',
      '\u202Egnp.exe\u202C',
      '\u200F\u05E9\u05DC\u05D5\u05DD',
      'a'.repeat(5000),
      '"; DROP TABLE x; --',
    ];
    for (const s of hostile) {
      const rel = expectOk(parseRelationship(graphRelationship({ displayName: s, customer: { tenantId: s, displayName: s } })));
      expect(rel.displayName).toBe(s);
      expect(rel.customer.displayName).toBe(s);
    }
  });

  it('refuses an item that is not an object, has no id or has wrong-typed core fields', () => {
    for (const bad of [null, 42, 'x', [], {}]) {
      const r = parseRelationship(bad);
      expect(r.ok).toBe(false);
    }
    const r1 = parseRelationship(graphRelationship({ id: '' }));
    expect(r1.ok).toBe(false);
    const r2 = parseRelationship(graphRelationship({ id: 7 }));
    expect(r2.ok).toBe(false);
    if (!r2.ok) expect(r2.issues.join()).toContain('id');
    expect(parseRelationship(graphRelationship({ displayName: 42 })).ok).toBe(false);
    expect(parseRelationship(graphRelationship({ status: { value: 'active' } })).ok).toBe(false);
  });

  it('defaults a missing displayName (e.g. left out by $select) to ""', () => {
    const r = graphRelationship();
    delete r.displayName;
    expect(expectOk(parseRelationship(r)).displayName).toBe('');
  });
});

describe('parseRelationshipPage', () => {
  it('skips and counts malformed items, keeps the good ones and the next link', () => {
    const page = {
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#tenantRelationships/delegatedAdminRelationships',
      '@odata.nextLink': 'https://graph.microsoft.com/v1.0/tenantRelationships/delegatedAdminRelationships?$skiptoken=abc',
      value: [graphRelationship({ id: 'a' }), null, { displayName: 'no id' }, graphRelationship({ id: 'b', status: 'brandNew' }), 5],
    };
    const r = expectOk(parseRelationshipPage(page));
    expect(r.items.map((x) => x.id)).toEqual(['a', 'b']);
    expect(r.skipped).toBe(3);
    expect(r.issues).toHaveLength(3);
    expect(r.issues[0]).toMatch(/^\[1\]/);
    expect(r.nextLink).toBe(page['@odata.nextLink']);
  });

  it('gives a null next link on the last page', () => {
    const r = expectOk(parseRelationshipPage({ value: [] }));
    expect(r).toEqual({ items: [], skipped: 0, issues: [], nextLink: null });
  });

  it('is an error for a malformed envelope', () => {
    for (const bad of [null, [], 'x', {}, { value: 'x' }, { value: {} }, { value: [], '@odata.nextLink': 42 }]) {
      expect(parseRelationshipPage(bad).ok).toBe(false);
    }
    expect(parseListPage({ value: [1, 2] })).toEqual({ ok: true, value: { value: [1, 2], nextLink: null } });
  });

  it('caps the reported issues at 20 but counts every skipped item', () => {
    const r = expectOk(parseRelationshipPage({ value: Array.from({ length: 50 }, () => ({})) }));
    expect(r.skipped).toBe(50);
    expect(r.issues).toHaveLength(20);
  });
});

describe('customers, access assignments, requests, operations', () => {
  it('parses a delegatedAdminCustomer and a page of them', () => {
    const c = { id: '52eaad04-13a2-4a2f-9ce8-93a294fadf36', tenantId: '52eaad04-13a2-4a2f-9ce8-93a294fadf36', displayName: 'Contoso' };
    expect(expectOk(parseCustomer(c))).toEqual({ ...c, etag: null });
    const page = expectOk(parseCustomerPage({ value: [c, { id: 3 }, { id: 'x' }] }));
    expect(page.items.map((x) => x.id)).toEqual([c.id, 'x']);
    expect(page.items[1]).toEqual({ id: 'x', tenantId: null, displayName: '', etag: null });
    expect(page.skipped).toBe(1);
  });

  it('parses an access assignment', () => {
    const a = expectOk(
      parseAccessAssignment({
        '@odata.etag': 'W/"2"',
        id: 'assign-1',
        status: 'active',
        accessContainer: { accessContainerId: 'group-42', accessContainerType: 'securityGroup' },
        accessDetails: { unifiedRoles: [{ roleDefinitionId: GR }] },
        createdDateTime: '2022-02-10T11:26:44Z',
        lastModifiedDateTime: '2022-02-10T11:26:44+02:00',
      }),
    );
    expect(a).toEqual({
      id: 'assign-1',
      securityGroupId: 'group-42',
      containerType: 'securityGroup',
      roleIds: [GR],
      status: 'active',
      rawStatus: 'active',
      createdDateTime: '2022-02-10T11:26:44.000Z',
      lastModifiedDateTime: '2022-02-10T09:26:44.000Z',
      etag: 'W/"2"',
    });
    const odd = expectOk(parseAccessAssignment({ id: 'x', status: 'archived' }));
    expect(odd).toMatchObject({ status: 'unknown', rawStatus: 'archived', securityGroupId: null, roleIds: [] });
    const page = expectOk(parseAccessAssignmentPage({ value: [{ id: 'x', status: 'pending' }, { status: 'pending' }] }));
    expect(page.items.map((x) => x.status)).toEqual(['pending']);
    expect(page.skipped).toBe(1);
  });

  it('parses a relationship request and an operation', () => {
    expect(
      expectOk(parseRelationshipRequest({ id: 'q', action: 'lockForApproval', status: 'succeeded', createdDateTime: '' })),
    ).toEqual({ id: 'q', action: 'lockForApproval', status: 'succeeded', rawStatus: 'succeeded', createdDateTime: null, lastModifiedDateTime: null });
    expect(expectOk(parseRelationshipOperation({ id: 'o', operationType: 'delegatedAdminAccessAssignmentUpdate', data: '{"a":1}', status: 'running' }))).toMatchObject({
      status: 'running',
      data: '{"a":1}',
    });
    expect(expectOk(parseRelationshipOperation({ id: 'o', status: 'paused' })).status).toBe('unknown');
  });
});

describe('parseGraphError', () => {
  it('reads innerError and innererror alike', () => {
    const inner = { date: '2024-05-01T10:00:00', 'request-id': 'req-1', 'client-request-id': 'client-1' };
    for (const key of ['innerError', 'innererror']) {
      const e = expectOk(parseGraphError({ error: { code: 'Request_BadRequest', message: 'Bad', [key]: inner } }));
      expect(e).toEqual({
        code: 'Request_BadRequest',
        message: 'Bad',
        requestId: 'req-1',
        clientRequestId: 'client-1',
        date: '2024-05-01T10:00:00.000Z',
      });
    }
  });
  it('tolerates a missing inner error and refuses what is not a Graph error', () => {
    expect(expectOk(parseGraphError({ error: { code: 'x' } }))).toEqual({
      code: 'x',
      message: '',
      requestId: null,
      clientRequestId: null,
      date: null,
    });
    for (const bad of [null, 'error', {}, { error: 'x' }, { error: { message: 'no code' } }]) {
      expect(parseGraphError(bad).ok).toBe(false);
    }
  });
});

describe('normalizeDateTime', () => {
  const cases: Array<[string, string | null]> = [
    ['2022-04-28T19:47:48.5357467Z', '2022-04-28T19:47:48.535Z'],
    ['2022-04-28T19:47:48Z', '2022-04-28T19:47:48.000Z'],
    ['2022-04-28T19:47:48', '2022-04-28T19:47:48.000Z'], // no offset: UTC, not local time
    ['2022-04-28T21:47:48+02:00', '2022-04-28T19:47:48.000Z'],
    ['2022-04-28T14:47:48-0500', '2022-04-28T19:47:48.000Z'],
    ['2022-04-28 19:47', '2022-04-28T19:47:00.000Z'],
    ['2022-04-28', '2022-04-28T00:00:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['2023-02-29T00:00:00Z', null],
    ['2022-13-01T00:00:00Z', null],
    ['2022-04-28T24:00:00Z', null],
    ['0001-01-01T00:00:00Z', null],
    ['', null],
    ['April 28, 2022', null],
    ['2022-04-28T19:47:48Zjunk', null],
  ];
  it.each(cases)('%s → %s', (input, expected) => {
    expect(normalizeDateTime(input)).toBe(expected);
  });
  // Strings already in the normalised form take a shorter way: the same answers.
  const normalisedForm: Array<[string, string | null]> = [
    ['2022-04-28T19:47:48.535Z', '2022-04-28T19:47:48.535Z'],
    ['2024-02-29T00:00:00.000Z', '2024-02-29T00:00:00.000Z'],
    ['2023-02-29T00:00:00.000Z', null], // impossible day: not rolled over into March
    ['2022-04-31T00:00:00.000Z', null],
    ['2022-04-28T24:00:00.000Z', null],
    ['2022-04-28T23:59:60.000Z', null],
    ['0001-01-01T00:00:00.000Z', null], // .NET's MinValue
    ['0002-01-01T00:00:00.000Z', '0002-01-01T00:00:00.000Z'],
    [' 2022-04-28T19:47:48.535Z', '2022-04-28T19:47:48.535Z'], // trimmed, the long way
  ];
  it.each(normalisedForm)('normalised form %s → %s', (input, expected) => {
    expect(normalizeDateTime(input)).toBe(expected);
  });
  it('gives a normalised date back unchanged, and the same as the long way for any date (fast-check)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date(Date.UTC(1, 0, 1)), max: new Date(Date.UTC(9999, 11, 31, 23, 59, 59, 999)), noInvalidDate: true }), (d) => {
        const iso = d.toISOString();
        const expected = d.getUTCFullYear() <= 1 ? null : iso;
        expect(normalizeDateTime(iso)).toBe(expected);
        // The long way: the same instant written with an offset.
        expect(normalizeDateTime(iso.replace('Z', '+00:00'))).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('schema properties (fast-check)', () => {
  const parsers = [
    parseRelationship,
    parseRelationshipPage,
    parseCustomer,
    parseCustomerPage,
    parseAccessAssignment,
    parseAccessAssignmentPage,
    parseRelationshipRequest,
    parseRelationshipOperation,
    parseGraphError,
  ];

  it('never throws on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (json) => {
        for (const parse of parsers) {
          const r = parse(json);
          expect(typeof r.ok).toBe('boolean');
        }
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on relationship-shaped JSON with arbitrary field values, and keeps every valid id', () => {
    const field = fc.oneof(fc.jsonValue(), fc.string(), fc.constant(undefined));
    const item = fc.record(
      {
        id: fc.oneof(fc.string({ minLength: 1 }), fc.jsonValue()),
        displayName: field,
        status: field,
        duration: field,
        autoExtendDuration: field,
        customer: fc.oneof(field, fc.record({ tenantId: field, displayName: field }, { requiredKeys: [] })),
        accessDetails: fc.oneof(field, fc.record({ unifiedRoles: fc.oneof(field, fc.array(fc.jsonValue())) })),
        createdDateTime: fc.oneof(field, fc.date({ noInvalidDate: true }).map((x) => x.toISOString())),
        endDateTime: field,
        '@odata.type': field,
        isPartnerConsentPending: field,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(item, { maxLength: 8 }), (items) => {
        const r = parseRelationshipPage({ value: items });
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.value.items.length + r.value.skipped).toBe(items.length);
        for (const rel of r.value.items) {
          expect(typeof rel.id).toBe('string');
          expect(rel.id.length).toBeGreaterThan(0);
          for (const date of [rel.createdDateTime, rel.endDateTime]) {
            if (date !== null) expect(Number.isNaN(Date.parse(date))).toBe(false);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
