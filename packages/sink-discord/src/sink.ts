/**
 * The Discord sink instance: renders alerts as embeds with core's formatter and posts them with Execute
 * Webhook (https://discord.com/developers/docs/resources/webhook#execute-webhook). Core's outbox queues,
 * merges (up to 10 embeds and 6000 characters per message) and retries; this file only paces itself by
 * Discord's rate-limit headers and says what each answer means.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  answerJson,
  DeliveryError,
  DISCORD_LIMITS,
  discordMessageLength,
  readableText,
  sendHttp,
  type DiscordMessage,
  type HttpRequester,
  type SinkContext,
  type SinkInstance,
} from '@liqmon/core';
import { parseWebhookUrl, type DiscordOptions } from './options.js';
import { RateLimitPacer } from './rate-limit.js';
import { failureOf } from './response.js';

/**
 * Header-paced waits up to this long happen inside `send`. A longer one (the per-channel limit of about
 * 30 messages a minute) is handed to the outbox as a retry-after instead, so that the alerts arriving
 * meanwhile are merged into the message that goes once the limit allows, and a send never outlives the
 * outbox's `sendTimeout`.
 */
export const INLINE_WAIT_MAX_MS = 5_000;

/** Internals tests may replace. */
export interface DiscordSinkDeps {
  now?: () => number;
  request?: HttpRequester;
  /** @default {@link INLINE_WAIT_MAX_MS} */
  inlineWaitMaxMs?: number;
}

/** The body Discord gets: the rendered embeds plus the sink's options. */
export interface WebhookBody extends DiscordMessage {
  username?: string;
  avatar_url?: string;
  /** No `@everyone`, role or user pings from alert text, whatever it contains. */
  allowed_mentions: { parse: [] };
}

export function createDiscordSink(options: DiscordOptions, context: SinkContext, deps: DiscordSinkDeps = {}): SinkInstance<DiscordMessage> {
  const target = parseWebhookUrl(options.webhookUrl);
  // Core registered the URL as written (`secrets: ['webhookUrl']`); the token alone also shows up, e.g. in
  // URLs a proxy or a library might print.
  context.secrets.add(target.token);
  context.secrets.add(target.url);
  const query = new URLSearchParams({ wait: 'true', ...(options.threadId ? { thread_id: options.threadId } : {}) });
  const endpoint = `${target.url}?${query.toString()}`;
  const pacer = new RateLimitPacer(deps.now);

  return {
    limits: { maxMessageSize: DISCORD_LIMITS.total, maxAlertsPerMessage: DISCORD_LIMITS.embeds },
    render: (alerts) => context.formatter.discord(alerts),
    measure: (message) => discordMessageLength(message),
    preview: (message) => readableText(message, 'discord'),
    async send(message, _destination, signal) {
      const wait = pacer.delay();
      if (wait > (deps.inlineWaitMaxMs ?? INLINE_WAIT_MAX_MS)) {
        throw new DeliveryError('retryable', `Discord's rate limit for this webhook is used up; the next message goes in ${(wait / 1000).toFixed(1)} s, with the alerts that wait merged into it`, {
          retryAfterMs: wait,
          rateLimited: true,
        });
      }
      if (wait > 0) await sleep(wait, undefined, { signal });
      const body: WebhookBody = {
        ...message,
        ...(options.username ? { username: options.username } : {}),
        ...(options.avatarUrl ? { avatar_url: options.avatarUrl } : {}),
        allowed_mentions: { parse: [] },
      };
      // No answer at all is sendHttp's retryable "could not reach Discord (...)", without the URL.
      const response = await sendHttp({
        url: endpoint,
        headers: { 'content-type': 'application/json', 'user-agent': 'liqmon (Discord sink)' },
        body: JSON.stringify(body),
        signal,
        service: 'Discord',
        ...(deps.request ? { request: deps.request } : {}),
      });
      pacer.observe(response.headers);
      if (response.ok) return;
      const parsed = answerJson(response);
      const failure = failureOf(response.status, parsed, response.headers, target.version, options.threadId);
      if (failure.retryAfterMs !== undefined && response.status === 429) pacer.holdFor(failure.retryAfterMs);
      throw failure;
    },
  };
}

