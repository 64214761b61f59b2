/**
 * One Bot API call, with core's `httpRequest`. Requests go to `${apiUrl}/bot${token}/${method}` with a JSON body
 * (https://core.telegram.org/bots/api#making-requests). The URL holds the token, so no error built here
 * mentions the URL, and the network's own errors are replaced by ones that name only the API's origin.
 */
import { answerJson, DeliveryError, httpRequest, networkErrorCode, type HttpResponse } from '@liqmon/core';
import type { BotApiFailure } from './classify.js';

/** `sendMessage` parameters liqmon uses (https://core.telegram.org/bots/api#sendmessage). */
export interface SendMessageParams {
  chat_id: string | number;
  text: string;
  parse_mode: 'MarkdownV2' | 'HTML';
  message_thread_id?: number;
  disable_notification?: boolean;
  link_preview_options: { is_disabled: boolean };
}

/** A Bot API reply to sendMessage is a few hundred bytes; anything near this is not the API. */
const MAX_REPLY_BYTES = 1024 * 1024;

export type BotApiResult = { ok: true } | ({ ok: false } & BotApiFailure);

export interface CallOptions {
  apiUrl: string;
  token: string;
  timeoutMs: number;
  signal: AbortSignal;
}

/** Call `method`; resolves to Telegram's verdict, throws a retryable DeliveryError when no verdict came. */
export async function callBotApi(method: string, params: object, options: CallOptions): Promise<BotApiResult> {
  const origin = safeOrigin(options.apiUrl);
  const timeout = AbortSignal.timeout(options.timeoutMs);
  let response: HttpResponse;
  try {
    response = await httpRequest(`${options.apiUrl.replace(/\/+$/, '')}/bot${options.token}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params),
      signal: AbortSignal.any([options.signal, timeout]),
      maxBytes: MAX_REPLY_BYTES,
    });
  } catch (error) {
    if (options.signal.aborted) throw options.signal.reason as Error; // shutdown or the outbox's timeout
    if (timeout.aborted) throw new DeliveryError('retryable', `no answer from the Telegram Bot API at ${origin} within ${options.timeoutMs} ms`);
    throw new DeliveryError('retryable', `cannot reach the Telegram Bot API at ${origin}: ${networkErrorCode(error)}`);
  }
  const reply = replyOf(answerJson(response));
  if (response.ok && reply?.ok === true) return { ok: true };
  const status = typeof reply?.error_code === 'number' ? reply.error_code : response.status;
  const description = typeof reply?.description === 'string' ? reply.description : `HTTP ${response.status} ${response.statusText}`.trim();
  const parameters = typeof reply?.parameters === 'object' && reply.parameters !== null ? (reply.parameters as Record<string, unknown>) : {};
  const failure: BotApiResult = { ok: false, status, description };
  if (typeof parameters.retry_after === 'number') failure.retryAfter = parameters.retry_after;
  if (typeof parameters.migrate_to_chat_id === 'number' || typeof parameters.migrate_to_chat_id === 'string') {
    failure.migrateToChatId = String(parameters.migrate_to_chat_id);
  }
  return failure;
}

/** The reply object; undefined for a proxy's HTML error page, judged by the HTTP status instead. */
function replyOf(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

/** `https://api.telegram.org`: never a path, where the token lives. */
function safeOrigin(apiUrl: string): string {
  try {
    return new URL(apiUrl).origin;
  } catch {
    return 'the configured apiUrl';
  }
}

