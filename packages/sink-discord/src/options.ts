/**
 * Options of the Discord sink, as users write them under `sinks.<name>` (besides `use`), and the
 * webhook URL's parts. The URL is the secret (its last segment is the token that lets anyone post), so
 * no message here ever repeats it.
 */
import { z } from '@liqmon/core';

/**
 * An Execute Webhook URL (https://discord.com/developers/docs/resources/webhook#execute-webhook):
 * `https://<host>/api[/v<N>]/webhooks/<id>/<token>`. Any https host (discord.com, discordapp.com, ptb.,
 * canary., a proxy); plain http only on the loopback interface, for local test servers, because the token
 * would otherwise cross the network in clear. No query or fragment: the sink adds `wait` and `thread_id`.
 */
export const WEBHOOK_URL_RE =
  /^(?:https:\/\/[^/?#\s@:]+(?::\d+)?|http:\/\/(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+)?)\/api(?:\/v(\d+))?\/webhooks\/(\d+)\/([\w-]+)\/?$/;

const WEBHOOK_URL_MESSAGE =
  'must be a Discord webhook URL like https://discord.com/api/webhooks/<id>/<token>, copied whole from ' +
  'Server Settings → Integrations → Webhooks → Copy Webhook URL (no ?query: give a thread with `threadId`; ' +
  'plain http:// only for localhost)';

export const discordOptions = z.object({
  /** The webhook's URL, a secret (redacted from every log line). Versioned (`/api/v10/...`) or not. */
  webhookUrl: z.string().regex(WEBHOOK_URL_RE, { error: WEBHOOK_URL_MESSAGE }).describe('Discord webhook URL (a secret)'),
  /**
   * Post into this thread of the webhook's channel (required for forum channels). Write it in quotes:
   * YAML turns an unquoted 19-digit number into an imprecise float. @default the channel itself
   */
  threadId: z
    .string()
    .regex(/^\d{1,20}$/, { error: 'must be a thread id: digits only, in quotes (right-click the thread → Copy Thread ID)' })
    .optional()
    .describe('Thread id to post in (quoted digits)'),
  /** Name shown as the message author, 1 to 80 characters. @default the webhook's own name */
  username: z.string().min(1).max(80).optional().describe("Author name shown on messages (default: the webhook's name)"),
  /** Avatar image URL shown with the messages. @default the webhook's own avatar */
  avatarUrl: z
    .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL of an image' })
    .optional()
    .describe("Avatar image URL (default: the webhook's avatar)"),
});

/** Options as written in the config. */
export type DiscordOptionsInput = z.input<typeof discordOptions>;
/** Options after validation. */
export type DiscordOptions = z.output<typeof discordOptions>;

/** A webhook URL taken apart. */
export interface WebhookTarget {
  /** The URL to POST to, without query and trailing slash. */
  url: string;
  id: string;
  /** The secret part. */
  token: string;
  /**
   * API version in the path, or undefined for `/api/webhooks/...` (what the Discord app hands out).
   * It decides the unit of a 429's `retry_after`: seconds when versioned, milliseconds when not.
   */
  version: number | undefined;
}

/** Parts of a URL that {@link WEBHOOK_URL_RE} accepted; throws (without the URL) for any other. */
export function parseWebhookUrl(webhookUrl: string): WebhookTarget {
  const match = WEBHOOK_URL_RE.exec(webhookUrl);
  if (!match) throw new Error(`webhookUrl ${WEBHOOK_URL_MESSAGE}`);
  const [, version, id = '', token = ''] = match;
  return { url: webhookUrl.replace(/\/$/, ''), id, token, version: version === undefined ? undefined : Number(version) };
}
