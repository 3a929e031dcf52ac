/**
 * CSV export of the cached GDAP relationships (the popup's "Export CSV"). Pure.
 *
 * The file is data, not UI: RFC 4180 (fields quoted when they hold a comma, a double quote,
 * CR or LF; quotes doubled; CRLF line ends, the last record included), a UTF-8 byte order
 * mark first so that Excel reads Korean names correctly, and protection against CSV (formula)
 * injection: a field starting with `=`, `+`, `-`, `@`, TAB or CR gets a leading `'`, so that
 * a spreadsheet shows it as text instead of running it. Header labels default to English
 * ({@link CSV_HEADERS}), whatever the UI language, so that files from different users line
 * up and scripts can read them; values are codes or names exactly as Graph has them.
 */
import { roleName, includesGlobalAdministrator } from './roles';
import { isAutoExtendSet } from './rules';
import type { Relationship } from './schema';
import type { RelationshipKind, RelationshipState } from './state';

export type CsvAutoExtend = 'on' | 'off' | 'not-allowed';

export interface RelationshipCsvRow {
  customerName: string;
  tenantId: string;
  relationshipName: string;
  /** The state model's kind (`active`, `expiring`, `pending`, …). */
  status: RelationshipKind;
  /** Role names; ids where the role is not known. */
  roles: string[];
  /** ISO date `YYYY-MM-DD` (UTC), `''` when there is none. */
  endDate: string;
  autoExtend: CsvAutoExtend;
}

export type CsvColumn = keyof RelationshipCsvRow;
export type CsvHeaders = Readonly<Record<CsvColumn, string>>;

/** Column order. */
export const CSV_COLUMNS: readonly CsvColumn[] = ['customerName', 'tenantId', 'relationshipName', 'status', 'roles', 'endDate', 'autoExtend'];

export const CSV_HEADERS: CsvHeaders = {
  customerName: 'Customer',
  tenantId: 'Tenant ID',
  relationshipName: 'Relationship',
  status: 'Status',
  roles: 'Roles',
  endDate: 'End date',
  autoExtend: 'Auto-extend',
};

/** Written between role names in one field. */
export const ROLE_SEPARATOR = '; ';
const AUTO_EXTEND_TEXT: Readonly<Record<CsvAutoExtend, string>> = { on: 'on', off: 'off', 'not-allowed': 'not allowed' };
const BOM = '\uFEFF';
const EOL = '\r\n';

/** One field: injection-safe, then quoted when RFC 4180 requires it. */
export function csvField(value: string): string {
  let text = String(value ?? '');
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The whole file: BOM, header line, one line per row, CRLF after every line. */
export function relationshipsCsv(rows: readonly RelationshipCsvRow[], headers: CsvHeaders = CSV_HEADERS): string {
  const lines = [CSV_COLUMNS.map((c) => csvField(headers[c]))];
  for (const row of rows) {
    lines.push(
      CSV_COLUMNS.map((c) => {
        switch (c) {
          case 'roles':
            return csvField(row.roles.join(ROLE_SEPARATOR));
          case 'autoExtend':
            return csvField(AUTO_EXTEND_TEXT[row.autoExtend] ?? '');
          default:
            return csvField(row[c]);
        }
      }),
    );
  }
  return BOM + lines.map((fields) => fields.join(',') + EOL).join('');
}

/**
 * One relationship as a CSV row: R6 (Global Administrator) → `not-allowed` whatever the data
 * says, else whether `autoExtendDuration` is set (also for relationships not active yet, whose
 * setting applies once they are). End date = the state model's `endDate` (active: the
 * effective end, R4; pending: when the request lapses, R2; ended: when it ended).
 */
export function relationshipCsvRow(rel: Relationship, state: RelationshipState, customerName?: string | null): RelationshipCsvRow {
  return {
    customerName: customerName || rel.customer.displayName || '',
    tenantId: rel.customer.tenantId ?? '',
    relationshipName: rel.displayName,
    status: state.kind,
    roles: rel.roleIds.map((id) => roleName(id) ?? id),
    endDate: state.endDate === null ? '' : state.endDate.slice(0, 10),
    autoExtend: includesGlobalAdministrator(rel.roleIds) ? 'not-allowed' : isAutoExtendSet(rel) ? 'on' : 'off',
  };
}

/** `gdap-relationships-YYYY-MM-DD.csv`, the date in local time (the user's "today"). */
export function csvFilename(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `gdap-relationships-${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}.csv`;
}
