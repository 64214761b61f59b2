/**
 * Expected network failures, said in one line. Offline, behind a firewall, or while an exchange is
 * down, sources fail the same way again and again: that is not a bug, and a stack trace per retry
 * buries what matters. The one rule for every retry in core and the exchange packages:
 *  - an expected failure (DNS, refused, reset, unreachable, timeout, TLS, HTTP 5xx or 429) is ONE
 *    warn line: who, what failed, the host, the cause, and when the next try is; the stack goes to
 *    debug;
 *  - anything else (a bug, a response we cannot read) is logged with its error and stack.
 */
import type { Logger } from 'pino';
import { describeError } from './error-text.js';

/** System and undici codes of failures that a retry may cure. */
const NETWORK_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ABORT_ERR_TIMEOUT']);
const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'EPROTO',
]);

/** An expected network failure, as {@link networkFailure} reads it. */
export interface NetworkFailure {
  /** The cause in a word or two: `ENOTFOUND`, `ECONNREFUSED`, `timeout`, `TLS CERT_HAS_EXPIRED`, `HTTP 503`. */
  cause: string;
  /** What failed, when the error says (`cannot list instruments`). */
  action?: string;
  /** The host, when the error says (`api.bybit.com`). */
  host?: string;
}

/** The cause of one error of the chain, when it is an expected network failure. */
function causeOf(error: Error): string | undefined {
  const { code, status } = error as { code?: unknown; status?: unknown };
  if (typeof status === 'number' && (status >= 500 || status === 429)) return `HTTP ${status}`;
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code)) return code;
    if (TIMEOUT_CODES.has(code)) return 'timeout';
    if (TLS_CODES.has(code) || code.startsWith('CERT_') || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_')) return `TLS ${code}`;
  }
  // AbortSignal.timeout() rejects with a DOMException named TimeoutError.
  if (error.name === 'TimeoutError') return 'timeout';
  // The `ws` library says these in words only.
  if (/^Opening handshake has timed out/.test(error.message)) return 'timeout';
  const response = /^Unexpected server response: (\d{3})/.exec(error.message);
  if (response?.[1] && (Number(response[1]) >= 500 || Number(response[1]) === 429)) return `HTTP ${response[1]}`;
  return undefined;
}

/**
 * Reads `error` (and up to five causes) as an expected network failure; undefined when it is not one
 * (a bug, an unreadable answer, an HTTP 4xx other than 429). Action and host come from the first error
 * of the chain that carries them (`SourceUnreachableError` does; DNS errors carry `hostname`).
 */
export function networkFailure(error: unknown): NetworkFailure | undefined {
  let cause: string | undefined;
  let action: string | undefined;
  let host: string | undefined;
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current instanceof Error; depth++) {
    const fields = current as { action?: unknown; host?: unknown; hostname?: unknown };
    if (action === undefined && typeof fields.action === 'string') action = fields.action;
    if (host === undefined && typeof fields.host === 'string') host = fields.host;
    if (host === undefined && typeof fields.hostname === 'string') host = fields.hostname;
    cause ??= causeOf(current);
    current = current.cause;
  }
  if (cause === undefined) return undefined;
  return { cause, ...(action !== undefined ? { action } : {}), ...(host !== undefined ? { host } : {}) };
}

/** `in 8s (at 13:45:12 UTC)`, `in 1h (at 14:45:12 UTC)`: when the next try is, relative and absolute. */
export function retryText(retryInMs: number, now: number = Date.now()): string {
  const at = new Date(now + retryInMs).toISOString().slice(11, 19);
  return `in ${shortDuration(retryInMs)} (at ${at} UTC)`;
}

/** `0.5s`, `45s`, `5m`, `1h`, `1h 30m`: a wait, as short as it reads clearly. */
function shortDuration(ms: number): string {
  if (ms < 10_000) return `${Number((ms / 1000).toFixed(1))}s`;
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s}s`;
  const m = Math.round(s / 60);
  if (m < 120) return m % 60 === 0 && m >= 60 ? `${m / 60}h` : `${m}m`;
  const h = Math.floor(m / 60);
  return m % 60 === 0 ? `${h}h` : `${h}h ${m % 60}m`;
}

/** What {@link logFailure} reports. */
export interface FailureReport {
  /** Who failed: the source or connection name (`bybit`, `binance/usdm`). */
  subject: string;
  /** What failed, when the error does not say (`cannot connect`). */
  action: string;
  /** Where, when the error does not say (`stream.bybit.com`). */
  host?: string;
  error: unknown;
  /** When the next try is; absent when there is none scheduled. */
  retryInMs?: number;
  /** What happens meanwhile (`base/quote are guessed from symbols`), added before the retry time. */
  meanwhile?: string;
  /** Level of an unexpected failure (logged with its stack). @default 'error' */
  unexpectedLevel?: 'error' | 'warn';
  /** @default Date.now */
  now?: number;
}

/**
 * The short form of a failure for health and summaries: `cannot list instruments: ENOTFOUND` for an
 * expected one, else `action: message` (first line, at most 160 characters).
 */
export function failureText(error: unknown, action?: string): string {
  const failure = networkFailure(error);
  const what = failure?.action ?? action;
  const cause = failure?.cause ?? (describeError(error).split('\n')[0] ?? '').slice(0, 160);
  return what ? `${what}: ${cause}` : cause;
}

/**
 * Logs one failure the one way: expected network failures as a single warn line
 * (`bybit: cannot list instruments (api.bybit.com): ENOTFOUND; retrying in 8s (at 13:45:12 UTC)`)
 * with the stack at debug; other failures with their error and stack. Returns the line.
 */
export function logFailure(logger: Logger, report: FailureReport): string {
  const failure = networkFailure(report.error);
  const action = failure?.action ?? report.action;
  const host = failure?.host ?? report.host;
  const where = host ? ` (${host})` : '';
  const tail = [report.meanwhile, report.retryInMs === undefined ? undefined : `retrying ${retryText(report.retryInMs, report.now)}`]
    .filter((part) => part !== undefined)
    .join('; ');
  if (failure) {
    const line = `${report.subject}: ${action}${where}: ${failure.cause}${tail ? `; ${tail}` : ''}`;
    logger.warn({ host, cause: failure.cause, ...(report.retryInMs !== undefined ? { retryInMs: report.retryInMs } : {}) }, line);
    logger.debug({ err: report.error }, `${report.subject}: details of the failure above`);
    return line;
  }
  const line = `${report.subject}: ${action}${where}: ${describeError(report.error)}${tail ? `; ${tail}` : ''}`;
  logger[report.unexpectedLevel ?? 'error']({ err: report.error, ...(report.retryInMs !== undefined ? { retryInMs: report.retryInMs } : {}) }, line);
  return line;
}
