/**
 * What a Discord answer means for the outbox, as a {@link DeliveryError}: 429 and 5xx retry (429 with
 * Discord's retry-after), 401/403/404 stop the sink (the webhook URL is wrong or the webhook is gone),
 * 400 Invalid Form Body skips the message (a rendering bug, with Discord's field errors in the message).
 * Codes: https://discord.com/developers/docs/topics/opcodes-and-status-codes#json-json-error-codes
 * (10003 Unknown Channel, 10015 Unknown Webhook, 50027 Invalid Webhook Token, 50035 Invalid Form Body,
 * 220001 forum channels need a thread). Messages never contain the webhook URL or its token.
 */
import { DeliveryError, type HttpHeaders } from '@liqmon/core';
import { readRateLimit } from './rate-limit.js';

const NEW_WEBHOOK =
  'In Discord: Server Settings → Integrations → Webhooks → (create or pick one) → Copy Webhook URL, then set it as webhookUrl (e.g. in DISCORD_WEBHOOK_URL) and restart.';

/** The failure a non-2xx answer means; `body` is the parsed JSON (or undefined for a non-JSON page). */
export function failureOf(status: number, body: unknown, headers: HttpHeaders, apiVersion: number | undefined, threadId: string | undefined): DeliveryError {
  const { message, code } = discordError(body);
  // Discord's generic errors already start with the status ("500: Internal Server Error").
  const text = message === undefined ? String(status) : message.startsWith(`${status}`) ? message : `${status} ${message}`;
  const said = `${text}${code ? `, code ${code}` : ''}`;
  if (status === 429) {
    const limit = readRateLimit(body, headers, apiVersion);
    const scope = limit.global ? 'global' : limit.scope === 'shared' ? 'per-channel' : 'per-webhook';
    const wait = limit.retryAfterMs === undefined ? '' : `, retry after ${(limit.retryAfterMs / 1000).toFixed(1)} s`;
    // Pacing, not a failure: the outbox waits retry_after without spending a try (DeliveryError.rateLimited).
    return new DeliveryError('retryable', `Discord rate limit hit (429, ${scope}${wait})`, {
      status,
      rateLimited: true,
      ...(limit.retryAfterMs === undefined ? {} : { retryAfterMs: limit.retryAfterMs }),
    });
  }
  if (status === 401) {
    return new DeliveryError('fatal', `Discord refused the webhook token (${said}): the webhook URL is wrong or its token was reset`, { status, hint: NEW_WEBHOOK });
  }
  if (status === 404 && code === 10003 && threadId !== undefined) {
    return new DeliveryError('fatal', `Discord does not know thread ${threadId} (${said})`, {
      status,
      hint: 'Set threadId to a thread of the webhook\'s channel (right-click the thread → Copy Thread ID), or remove it.',
    });
  }
  if (status === 404) {
    const what = code === 10015 ? 'the webhook does not exist (deleted, or the URL is mistyped)' : 'nothing answers at the webhook URL';
    return new DeliveryError('fatal', `Discord says ${what} (${said})`, { status, hint: NEW_WEBHOOK });
  }
  if (status === 403) {
    return new DeliveryError('fatal', `Discord forbids this webhook to post (${said})`, {
      status,
      hint: `The webhook lost access to its channel or thread${threadId ? ` ${threadId}` : ''}: check the channel's permissions and threadId, or create a new webhook. ${NEW_WEBHOOK}`,
    });
  }
  if (status === 400 && code === 220001) {
    return new DeliveryError('fatal', `Discord needs a thread to post in this forum channel (${said})`, {
      status,
      hint: 'Set threadId to a thread (post) of the forum (right-click it → Copy Thread ID).',
    });
  }
  if (status >= 500) {
    const retryAfter = Number(headers.get('retry-after'));
    return new DeliveryError('retryable', `Discord had a server error (${said})`, {
      status,
      ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
    });
  }
  if (status >= 400) {
    const fields = formErrors(body);
    return new DeliveryError('rejected', `Discord refused the message (${said})${fields.length ? `: ${fields.join('; ')}` : ''}`, {
      status,
      hint: 'This is a liqmon bug (the message broke a Discord rule); please report it with this log line.',
    });
  }
  return new DeliveryError('retryable', `unexpected answer from Discord (${said})`, { status });
}

function discordError(body: unknown): { message: string | undefined; code: number | undefined } {
  if (typeof body !== 'object' || body === null) return { message: undefined, code: undefined };
  const { message, code } = body as { message?: unknown; code?: unknown };
  return { message: typeof message === 'string' ? message : undefined, code: typeof code === 'number' && code !== 0 ? code : undefined };
}

/**
 * Discord's nested `errors` object as `path: message (CODE)` lines, e.g.
 * `embeds.0.title: Must be 256 or fewer in length. (BASE_TYPE_MAX_LENGTH)`
 * (https://discord.com/developers/docs/reference#error-messages). At most 10, the rest counted.
 */
export function formErrors(body: unknown): string[] {
  const lines: string[] = [];
  const walk = (node: unknown, path: string[]) => {
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (key === '_errors' && Array.isArray(value)) {
        for (const error of value as { code?: unknown; message?: unknown }[]) {
          lines.push(`${path.join('.') || '(message)'}: ${String(error.message ?? 'invalid')}${typeof error.code === 'string' ? ` (${error.code})` : ''}`);
        }
      } else walk(value, [...path, key]);
    }
  };
  walk((body as { errors?: unknown } | undefined)?.errors, []);
  return lines.length > 10 ? [...lines.slice(0, 10), `and ${lines.length - 10} more`] : lines;
}
