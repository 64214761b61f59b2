/**
 * The ntfy sink instance: publishes each message with `POST <url>/<topic>` (https://docs.ntfy.sh/publish/),
 * the body as plain text and `X-Title`, `X-Priority`, `X-Tags` headers, with core's `sendHttp`. Answers
 * are read with core's `httpFailure`: 429 waits (ntfy.sh's per-visitor limits), 5xx and network errors
 * retry, 401/403/404 stop the sink (token or topic access), another 4xx skips the message. ntfy's error
 * bodies are JSON like `{"code":40301,"http":403,"error":"forbidden"}`; the `error` text is quoted.
 */
import { httpFailure, sendHttp, type SinkContext, type SinkInstance } from '@liqmon/core';
import { headerValue, NTFY_MAX_ALERTS_PER_MESSAGE, NTFY_MESSAGE_LIMIT, renderNtfy, type NtfyMessage } from './message.js';
import type { NtfyOptions } from './options.js';

export function createNtfySink(options: NtfyOptions, context: SinkContext): SinkInstance<NtfyMessage> {
  const base = options.url.replace(/\/+$/, '');
  const endpoint = `${base}/${options.topic}`;
  context.secrets.add(endpoint); // never logged whole: on a public server the topic is the password
  const service = `ntfy at ${new URL(base).origin}`;
  const hint = options.token
    ? 'Check `token` (an access token tk_... from the ntfy account or `ntfy token add`) and that it may write to this topic.'
    : 'This topic or server needs a login: set `token` (an access token tk_... from the ntfy account), or publish to a topic that is not reserved.';

  return {
    limits: { maxMessageSize: NTFY_MESSAGE_LIMIT, maxAlertsPerMessage: NTFY_MAX_ALERTS_PER_MESSAGE },
    render: (alerts) => renderNtfy(alerts, context.formatter, options),
    measure: (message) => Buffer.byteLength(message.body),
    async send(message, _destination, signal) {
      const headers: Record<string, string> = {
        'content-type': 'text/plain; charset=utf-8',
        'x-title': headerValue(message.title),
        'x-priority': String(message.priority),
        ...(message.tags.length ? { 'x-tags': message.tags.join(',') } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      };
      const answer = await sendHttp({ url: endpoint, body: message.body, headers, signal, service, timeoutMs: options.timeout });
      if (answer.ok) return;
      const reason = ntfyReason(answer.text);
      throw httpFailure(answer, { service, hint, ...(reason ? { reason } : {}) });
    },
  };
}

/** `error` of ntfy's JSON error body, e.g. `limit reached: too many requests`. */
function ntfyReason(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { error?: unknown };
    return typeof body.error === 'string' ? body.error : undefined;
  } catch {
    return undefined;
  }
}
