/**
 * Helpers shared by the fake portal pages (fake Partner Center, fake Microsoft 365
 * admin center). Test code only: never shipped in the extension.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';

const BASE_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
} as const;

function send(req: IncomingMessage, res: ServerResponse, status: number, type: string, body: string, extra: Record<string, string> = {}): true {
  const buf = Buffer.from(body, 'utf8');
  res.writeHead(status, { ...BASE_HEADERS, 'Content-Type': type, 'Content-Length': String(buf.length), ...extra });
  res.end(req.method === 'HEAD' ? undefined : buf);
  return true;
}

export function sendHtml(req: IncomingMessage, res: ServerResponse, html: string, status = 200): true {
  return send(req, res, status, 'text/html; charset=utf-8', html);
}

export function sendJson(req: IncomingMessage, res: ServerResponse, status: number, body: unknown): true {
  return send(req, res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

export function sendScript(req: IncomingMessage, res: ServerResponse, js: string): true {
  return send(req, res, 200, 'text/javascript; charset=utf-8', js);
}

/** An empty answer (e.g. for /favicon.ico, so that pages load without console errors). */
export function sendNoContent(req: IncomingMessage, res: ServerResponse): true {
  res.writeHead(204, { ...BASE_HEADERS });
  res.end();
  return true;
}

export function sendRedirect(req: IncomingMessage, res: ServerResponse, location: string): true {
  return send(req, res, 302, 'text/plain; charset=utf-8', `Redirecting to ${location}`, { Location: location });
}

/** A JSON error in the shape the fake pages expect: `{ error: { code, message } }`. */
export function sendError(req: IncomingMessage, res: ServerResponse, status: number, code: string, message: string): true {
  return sendJson(req, res, status, { error: { code, message } });
}


export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const scriptCache = new Map<string, string>();

/** The text of a browser script that lives beside the handler (plain JS, no build step). */
export function browserScript(fileUrl: URL): string {
  const key = fileUrl.href;
  let text = scriptCache.get(key);
  if (text === undefined) {
    text = readFileSync(fileUrl, 'utf8');
    scriptCache.set(key, text);
  }
  return text;
}

/** The HTML document of a fake single-page app: one module script, the body's static markup. */
export function spaDocument(opts: { lang: string; title: string; scriptSrc: string; body: string; bootData?: unknown }): string {
  const boot =
    opts.bootData === undefined
      ? ''
      : // JSON in a non-executable script block; `<` escaped so no data can close the element.
        `<script type="application/json" id="boot-data">${JSON.stringify(opts.bootData).replace(/</g, '\\u003c')}</script>\n`;
  return `<!doctype html>
<html lang="${escapeHtml(opts.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(opts.title)}</title>
<style>html, body { margin: 0; }</style>
<script type="module" src="${escapeHtml(opts.scriptSrc)}"></script>
${boot}</head>
<body>
${opts.body}
</body>
</html>
`;
}

// ---------------------------------------------------------------------------
// GDAP facts the pages display.

let roleNames: Map<string, string> | undefined;

/** Display name of an Entra role template ID (utils/gdap/data/entra-roles.json); the ID itself when unknown. */
export function roleDisplayName(roleDefinitionId: string): string {
  if (!roleNames) {
    roleNames = new Map();
    const raw: unknown = JSON.parse(readFileSync(new URL('../../utils/gdap/data/entra-roles.json', import.meta.url), 'utf8'));
    const roles = raw && typeof raw === 'object' && 'roles' in raw ? (raw as { roles: unknown }).roles : undefined;
    if (Array.isArray(roles)) {
      for (const r of roles as unknown[]) {
        if (r && typeof r === 'object') {
          const { id, name } = r as { id?: unknown; name?: unknown };
          if (typeof id === 'string' && typeof name === 'string') roleNames.set(id.toLowerCase(), name);
        }
      }
    }
  }
  return roleNames.get(roleDefinitionId.toLowerCase()) ?? roleDefinitionId;
}

/**
 * Length of an ISO 8601 duration in days (Y = 365, M = 30, W = 7 days), or null when
 * unreadable. `P730D` → 730, `P2Y` → 730, `P1Y6M` → 545, `PT0S` → 0.
 */
export function durationDays(iso: string | null | undefined): number | null {
  if (typeof iso !== 'string') return null;
  const s = iso.trim().toUpperCase();
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(s);
  if (!m || s === 'P' || s.endsWith('T')) return null;
  const n = (i: number): number => Number(m[i] ?? 0);
  return n(1) * 365 + n(2) * 30 + n(3) * 7 + n(4) + n(5) / 24 + n(6) / 1440 + n(7) / 86400;
}

/** `autoExtendDuration` other than zero (`PT0S`, `P0D`) or missing means auto-extend is on. */
export function isAutoExtendOn(autoExtendDuration: string | null | undefined): boolean {
  const d = durationDays(autoExtendDuration);
  return d !== null && d > 0;
}

/** Query parameter as an integer in [min, max], or `fallback`. */
export function intParam(url: URL, name: string, fallback: number, min: number, max: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, Math.trunc(n)));
}
