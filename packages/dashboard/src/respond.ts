/**
 * Answers of the dashboard, with the security headers every one of them carries (docs/security.md):
 * scripts, styles, images and connections from this origin only (no inline script, no other site),
 * no framing, no sniffing, no referrer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiError } from './shapes.js';

/** The Content-Security-Policy of every answer. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers set on every dashboard answer. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
});

/** Send `body` (nothing for HEAD) with the security headers. */
export function send(req: IncomingMessage, res: ServerResponse, status: number, contentType: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': contentType,
    'cache-control': 'no-store',
    'content-length': String(Buffer.byteLength(body)),
    ...headers,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** Send a JSON body. */
export function sendJson(req: IncomingMessage, res: ServerResponse, status: number, value: unknown): void {
  send(req, res, status, 'application/json; charset=utf-8', `${JSON.stringify(value)}\n`);
}

/** Send `{ "error": message }`. */
export function sendError(req: IncomingMessage, res: ServerResponse, status: number, message: string): void {
  const body: ApiError = { error: message };
  sendJson(req, res, status, body);
}
