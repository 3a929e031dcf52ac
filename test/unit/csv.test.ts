/**
 * utils/gdap/csv.ts: the relationships CSV (RFC 4180, UTF-8 BOM, CRLF, formula-injection safe).
 */
import { describe, expect, it } from 'vitest';
import { CSV_HEADERS, csvField, csvFilename, relationshipCsvRow, relationshipsCsv, type RelationshipCsvRow } from '@/utils/gdap/csv';
import { relationshipState } from '@/utils/gdap/state';
import { GLOBAL_ADMINISTRATOR, GLOBAL_READER, SERVICE_SUPPORT_ADMINISTRATOR } from '@/utils/gdap/roles';
import { HOSTILE_CUSTOMER_NAMES } from '../fake-cloud/data';
import { d, makeRel } from './gdap-fixtures';

const TENANT = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

function row(overrides: Partial<RelationshipCsvRow> = {}): RelationshipCsvRow {
  return {
    customerName: 'Contoso',
    tenantId: TENANT,
    relationshipName: 'Contoso GDAP',
    status: 'active',
    roles: ['Global Reader'],
    endDate: '2026-01-31',
    autoExtend: 'off',
    ...overrides,
  };
}

/** A strict RFC 4180 reader (CRLF records, quoted fields with doubled quotes), written for this test. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let i = 0;
  while (i < text.length) {
    let value = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') throw new Error(`bare quote at ${i}`);
        value += text[i++];
      }
    }
    fields.push(value);
    if (text[i] === ',') {
      i++;
    } else if (text.startsWith('\r\n', i)) {
      records.push(fields);
      fields = [];
      i += 2;
    } else {
      throw new Error(`expected , or CRLF at ${i}, got ${JSON.stringify(text[i])}`);
    }
  }
  if (fields.length > 0) throw new Error('last record without CRLF');
  return records;
}

/** What a spreadsheet shows once the protective apostrophe is hidden. */
const shown = (field: string) => (/^'[=+\-@\t\r]/.test(field) ? field.slice(1) : field);

describe('relationshipsCsv', () => {
  it('starts with a UTF-8 BOM, has an English header and ends every line with CRLF', () => {
    const csv = relationshipsCsv([row()]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv).toBe(
      '\uFEFFCustomer,Tenant ID,Relationship,Status,Roles,End date,Auto-extend\r\n' +
        `Contoso,${TENANT},Contoso GDAP,active,Global Reader,2026-01-31,off\r\n`,
    );
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('an empty export is the header alone', () => {
    expect(parseCsv(relationshipsCsv([]).slice(1))).toEqual([Object.values(CSV_HEADERS)]);
  });

  it('quotes fields with a comma, a double quote, CR or LF and doubles the quotes (RFC 4180)', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line1\nline2')).toBe('"line1\nline2"');
    expect(csvField('line1\r\nline2')).toBe('"line1\r\nline2"');
    expect(csvField('plain text')).toBe('plain text');
    const names = ['A, B & Co.', 'The "Best" Ltd', 'Two\nLines', 'Cr\rOnly'];
    const csv = relationshipsCsv(names.map((customerName) => row({ customerName })));
    expect(parseCsv(csv.slice(1)).slice(1).map((r) => r[0])).toEqual(names);
  });

  it.each([['=1+1'], ['+SUM(A1)'], ['-2+3'], ['@cmd'], ['\t=1'], ['\r=1'], ['=HYPERLINK("http://evil.example","x")']])(
    'CSV injection: %j gets a leading apostrophe',
    (text) => {
      const field = csvField(text);
      const unquoted = field.startsWith('"') ? field.slice(1, -1).replace(/""/g, '"') : field;
      expect(unquoted).toBe(`'${text}`);
      const parsed = parseCsv(relationshipsCsv([row({ customerName: text, relationshipName: text })]).slice(1))[1]!;
      expect(parsed[0]).toBe(`'${text}`);
      expect(parsed[2]).toBe(`'${text}`);
      expect(shown(parsed[0]!)).toBe(text);
    },
  );

  it('does not prefix text that is harmless', () => {
    for (const text of ['Contoso', '(주)새봄테크', '1 = 1', 'a-b', "'quoted", ' ']) expect(csvField(text)).toBe(text);
  });

  it('hostile and Korean names stay text, one field each, and read back exactly', () => {
    const names = [...HOSTILE_CUSTOMER_NAMES, '주식회사 한빛소프트', '(주)새봄테크', '한울정밀 주식회사', "=cmd|' /C calc'!A0"];
    const rows = names.map((customerName, i) => row({ customerName, relationshipName: `${customerName} GDAP ${i}` }));
    const records = parseCsv(relationshipsCsv(rows).slice(1));
    expect(records).toHaveLength(names.length + 1);
    for (const [i, name] of names.entries()) {
      expect(records[i + 1]).toHaveLength(7);
      expect(shown(records[i + 1]![0]!)).toBe(name);
      expect(records[i + 1]![0]!.startsWith('=')).toBe(false);
    }
  });

  it('joins role names with "; " and writes auto-extend as on / off / not allowed', () => {
    const csv = relationshipsCsv([
      row({ roles: ['Global Administrator', 'Exchange Administrator'], autoExtend: 'not-allowed' }),
      row({ roles: [], autoExtend: 'on', endDate: '' }),
    ]);
    const records = parseCsv(csv.slice(1));
    expect(records[1]!.slice(4)).toEqual(['Global Administrator; Exchange Administrator', '2026-01-31', 'not allowed']);
    expect(records[2]!.slice(4)).toEqual(['', '', 'on']);
  });

  it('takes other header labels', () => {
    const ko = { ...CSV_HEADERS, customerName: '고객', tenantId: '테넌트 ID' };
    expect(relationshipsCsv([], ko)).toBe('\uFEFF고객,테넌트 ID,Relationship,Status,Roles,End date,Auto-extend\r\n');
  });
});

describe('relationshipCsvRow', () => {
  const now = d('2025-06-01T00:00:00Z');

  it('role names from the catalogue, unknown role ids kept as ids; state kind; end date as an ISO date', () => {
    const unknownRole = '12345678-1234-4234-8234-123456789abc';
    const rel = makeRel({ roleIds: [GLOBAL_READER, unknownRole, SERVICE_SUPPORT_ADMINISTRATOR], endDateTime: '2025-06-20T15:30:00.000Z' });
    expect(relationshipCsvRow(rel, relationshipState(rel, undefined, now))).toEqual({
      customerName: 'Contoso',
      tenantId: TENANT,
      relationshipName: 'Contoso GDAP',
      status: 'expiring',
      roles: ['Global Reader', unknownRole, 'Service Support Administrator'],
      endDate: '2025-06-20',
      autoExtend: 'off',
    });
  });

  it('R6: Global Administrator is "not-allowed" even when the data says auto-extend is set; R4: on otherwise', () => {
    const ga = makeRel({ roleIds: [GLOBAL_ADMINISTRATOR], autoExtendDuration: 'P180D' });
    expect(relationshipCsvRow(ga, relationshipState(ga, undefined, now)).autoExtend).toBe('not-allowed');
    const on = makeRel({ autoExtendDuration: 'P180D' });
    const row = relationshipCsvRow(on, relationshipState(on, undefined, now));
    expect(row.autoExtend).toBe('on');
    expect(row.status).toBe('active');
  });

  it('a created request without customer data: name from the cache when given, empty tenant', () => {
    const rel = makeRel({ status: 'created', customer: { tenantId: null, displayName: null }, activatedDateTime: null, endDateTime: null, createdDateTime: '2025-05-01T00:00:00Z' });
    const r = relationshipCsvRow(rel, relationshipState(rel, undefined, now), 'From cache');
    expect(r).toMatchObject({ customerName: 'From cache', tenantId: '', status: 'pending', endDate: '2025-07-30' });
  });
});

describe('csvFilename', () => {
  it('gdap-relationships-YYYY-MM-DD.csv in local time', () => {
    expect(csvFilename(new Date(2025, 0, 5, 23, 59))).toBe('gdap-relationships-2025-01-05.csv');
    expect(csvFilename(new Date(2025, 11, 31, 0, 1))).toBe('gdap-relationships-2025-12-31.csv');
  });
});
