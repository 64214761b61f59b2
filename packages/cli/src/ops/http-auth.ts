/**
 * The `http.token` check (docs/security.md). With a token set, every route but `/healthz` needs one of:
 *   - the cookie this check set (a browser, after opening any page once with `?token=`);
 *   - `Authorization: Bearer <token>` (scripts, Prometheus);
 *   - `?token=<token>`: answered with the cookie (HttpOnly, SameSite=Strict) and a redirect to the same
 *     URL without it, so the token leaves the address bar, the history and any later log line.
 * Anything else is 401. Comparisons are constant-time (of SHA-256 digests, so lengths do not leak
 * either). The cookie holds an HMAC of the token, not the token itself.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Name of the cookie that carries the credential. */
export const AUTH_COOKIE = 'liqmon_session';

/** Routes open without a token: container and load-balancer health checks cannot carry one. */
const OPEN_PATHS = new Set(['/healthz']);

/** What to do with a request. */
export type AuthDecision = { kind: 'allow' } | { kind: 'deny'; message: string } | { kind: 'redirect'; location: string; cookie: string };

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

export class HttpAuth {
  readonly #tokenDigest: Buffer;
  readonly #cookieValue: string;

  constructor(token: string) {
    this.#tokenDigest = digest(token);
    this.#cookieValue = createHmac('sha256', token).update('liqmon dashboard session').digest('base64url');
  }

  /** Decide about `req` for the parsed `url`. */
  check(req: IncomingMessage, url: URL): AuthDecision {
    if (OPEN_PATHS.has(url.pathname)) return { kind: 'allow' };
    const given = url.searchParams.get('token');
    if (given !== null) {
      if (!this.#matches(given)) return { kind: 'deny', message: 'the token in ?token= is wrong' };
      const rest = new URLSearchParams(url.searchParams);
      rest.delete('token');
      const query = rest.toString();
      return {
        kind: 'redirect',
        location: `${url.pathname}${query ? `?${query}` : ''}`,
        cookie: `${AUTH_COOKIE}=${this.#cookieValue}; HttpOnly; SameSite=Strict; Path=/`,
      };
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (bearer && this.#matches(bearer[1]!)) return { kind: 'allow' };
    const cookie = readCookie(req.headers.cookie, AUTH_COOKIE);
    if (cookie !== undefined && timingSafeEqual(digest(cookie), digest(this.#cookieValue))) return { kind: 'allow' };
    return {
      kind: 'deny',
      message: 'a token is required: open the dashboard once as /?token=<http.token>, or send Authorization: Bearer <http.token>',
    };
  }

  #matches(candidate: string): boolean {
    return timingSafeEqual(digest(candidate), this.#tokenDigest);
  }
}

/** The value of cookie `name` in a Cookie header, if present. */
function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}
