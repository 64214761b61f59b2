/**
 * The webhook sink instance: one POST per alert with core's `sendHttp`, answers read with core's
 * `httpFailure` (5xx and network errors retried, 429 waits its Retry-After, 401/403/404/410 stop the
 * sink, another 4xx skips the alert). Optionally signed with HMAC-SHA256.
 */
import { httpFailure, sendHttp, type Alert, type SinkContext, type SinkInstance } from '@liqmon/core';
import { SECRET_HEADER_RE, type WebhookOptions } from './options.js';
import { payloadOf, SIGNATURE_HEADER, signatureOf, TIMESTAMP_HEADER } from './payload.js';

/** Internals tests may replace. */
export interface WebhookSinkDeps {
  /** Clock of the signature timestamp. @default Date.now */
  now?: () => number;
}

/** One alert per request: receivers get one JSON object each, never a batch. */
const ALERTS_PER_REQUEST = 1;

export function createWebhookSink(options: WebhookOptions, context: SinkContext, deps: WebhookSinkDeps = {}): SinkInstance<Alert> {
  const now = deps.now ?? Date.now;
  for (const [name, value] of Object.entries(options.headers)) if (SECRET_HEADER_RE.test(name)) context.secrets.add(value);
  // Messages name the receiver by its origin: the path and query may hold a token.
  const service = `the webhook receiver at ${new URL(options.url).origin}`;
  const hint = 'Check the sink\'s `url` (and `headers` if the receiver wants credentials); the receiver refused the request as configured.';

  return {
    limits: { maxAlertsPerMessage: ALERTS_PER_REQUEST },
    // The outbox hands one alert at a time (maxAlertsPerMessage 1); the message is the alert itself.
    render: (alerts) => alerts[0] as Alert,
    async send(alert, _destination, signal) {
      const body = payloadOf(alert, context.formatter);
      const headers: Record<string, string> = { ...options.headers, 'content-type': 'application/json' };
      if (options.secret !== undefined) {
        const timestamp = Math.floor(now() / 1000);
        headers[TIMESTAMP_HEADER] = String(timestamp);
        headers[SIGNATURE_HEADER] = signatureOf(options.secret, timestamp, body);
      }
      const answer = await sendHttp({ url: options.url, body, headers, signal, service, timeoutMs: options.timeout });
      if (!answer.ok) throw httpFailure(answer, { service, hint });
    },
  };
}
