/**
 * One HTTP request of a sink, and what its answer means for the outbox: the part every HTTP sink
 * (webhook, Slack, ntfy, ...) shares, so that each one only says where to send and how to read the
 * service's own error body. Status rules (RFC 9110, and what chat services do): 429 is the server's
 * pacing (wait its `Retry-After`, not a failed try), 5xx and 408 are retried, 401/403/404/410 mean the
 * configuration is wrong (stop the sink), any other 4xx refuses this one message (skip it).
 */
import { DeliveryError } from '../errors.js';
import { networkErrorCode } from '../util/error-text.js';
import { httpRequest, type HttpHeaders, type HttpRequester } from '../util/http-client.js';

/** Largest answer a chat service or webhook receiver may send, in bytes: its verdict, not a document. */
const MAX_SINK_ANSWER_BYTES = 1024 * 1024;

/** What {@link sendHttp} sends. */
export interface HttpRequest {
  /** The full URL. It may hold a secret (a webhook token): no error message built here quotes it. */
  url: string;
  /** @default 'POST' */
  method?: 'POST' | 'PUT';
  headers?: Readonly<Record<string, string>>;
  body: string;
  /** The outbox's signal (send timeout, shutdown); pass `send`'s third argument. */
  signal: AbortSignal;
  /** Names the receiver in messages, e.g. `Slack` or `ntfy at https://ntfy.sh`; never a secret. */
  service: string;
  /** Give up on an answer after this long (retryable). @default none: the outbox's `sendTimeout` applies */
  timeoutMs?: number;
  /** For tests. @default core's {@link httpRequest} */
  request?: HttpRequester;
}

/** An answer, whatever its status; the body read as text. */
export interface HttpAnswer {
  status: number;
  /** 2xx. */
  ok: boolean;
  headers: HttpHeaders;
  text: string;
}

/**
 * Send one request and read the whole answer. Throws the signal's reason when the outbox aborted the
 * send, and a retryable {@link DeliveryError} when no answer came (network error, `timeoutMs`); any
 * status resolves, for {@link httpFailure} or the sink's own reading.
 */
export async function sendHttp(request: HttpRequest): Promise<HttpAnswer> {
  const { signal, timeoutMs } = request;
  if (signal.aborted) throw signal.reason;
  const timeout = timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs);
  try {
    const response = await (request.request ?? httpRequest)(request.url, {
      method: request.method ?? 'POST',
      ...(request.headers ? { headers: request.headers } : {}),
      body: request.body,
      signal: timeout ? AbortSignal.any([signal, timeout]) : signal,
      maxBytes: MAX_SINK_ANSWER_BYTES,
    });
    return { status: response.status, ok: response.ok, headers: response.headers, text: response.text };
  } catch (error) {
    if (signal.aborted) throw signal.reason; // the outbox's timeout or shutdown: it knows why
    if (timeout?.aborted) throw new DeliveryError('retryable', `no answer from ${request.service} within ${timeoutMs} ms`);
    throw new DeliveryError('retryable', `could not reach ${request.service} (${networkErrorCode(error)})`, { cause: error });
  }
}

/** How {@link httpFailure} words a failed answer. */
export interface HttpFailureOptions {
  /** Names the receiver, as in {@link HttpRequest.service}. */
  service: string;
  /** The service's reason from the body (e.g. Slack's `channel_not_found`). @default a short excerpt of the body */
  reason?: string;
  /** What to do about a fatal answer (401/403/404/410). */
  hint?: string;
  /** Clock for `Retry-After` given as an HTTP date. @default Date.now */
  now?: () => number;
}

/** The {@link DeliveryError} a non-2xx answer means. */
export function httpFailure(answer: HttpAnswer, options: HttpFailureOptions): DeliveryError {
  const { status } = answer;
  const reason = options.reason ?? bodyExcerpt(answer.text);
  const said = `${options.service} answered ${status}${reason ? ` (${reason})` : ''}`;
  const wait = retryAfterMs(answer.headers.get('retry-after'), options.now?.() ?? Date.now());
  const after = wait === undefined ? {} : { retryAfterMs: wait };
  if (status === 429) {
    // Pacing, not a failure: with a wait, the outbox waits it without spending a try.
    return new DeliveryError('retryable', `${said}: rate limited${wait === undefined ? '' : `, retry after ${(wait / 1000).toFixed(1)} s`}`, {
      status,
      rateLimited: wait !== undefined,
      ...after,
    });
  }
  if (status >= 500 || status === 408) return new DeliveryError('retryable', said, { status, ...after });
  if (status === 401 || status === 403 || status === 404 || status === 410) {
    return new DeliveryError('fatal', said, { status, ...(options.hint ? { hint: options.hint } : {}) });
  }
  if (status >= 400) return new DeliveryError('rejected', `${said}: the message was refused and is skipped`, { status });
  return new DeliveryError('retryable', `unexpected answer: ${said}`, { status });
}

/**
 * A `Retry-After` header in ms: delay-seconds (`"7"`, some services send `"1.5"`) or an HTTP date
 * (RFC 9110 §10.2.3). Undefined when absent or unreadable; never negative.
 */
export function retryAfterMs(value: string | null | undefined, now: number = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+(?:\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/** The start of a body on one line, for error messages (an HTML error page is not worth quoting). */
function bodyExcerpt(text: string, max = 200): string {
  if (/^\s*</.test(text)) return '';
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}
