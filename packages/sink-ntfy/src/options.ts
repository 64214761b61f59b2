/**
 * Options of the ntfy sink, as users write them under `sinks.<name>` (besides `use`). The token is a
 * secret; the topic is kept out of logs as part of the publish URL (on a public server the topic name is
 * all that protects your notifications).
 */
import { amount, duration, z } from '@liqmon/core';

/** ntfy's topic names: letters, digits, `-` and `_`, at most 64 (https://docs.ntfy.sh/publish/). */
export const TOPIC_RE = /^[-_A-Za-z0-9]{1,64}$/;

export const ntfyOptions = z.object({
  /** The ntfy server: ntfy.sh or your own (with a path prefix if it serves under one). @default https://ntfy.sh */
  url: z
    .url({ protocol: /^https?$/, error: 'must be the http:// or https:// address of an ntfy server, e.g. https://ntfy.sh' })
    .default('https://ntfy.sh')
    .describe('ntfy server (default https://ntfy.sh)'),
  /** The topic to publish to. On a public server anyone who knows it can subscribe: pick one hard to guess. */
  topic: z.string().regex(TOPIC_RE, { error: 'must be an ntfy topic name: letters, digits, - and _ only, at most 64 (pick one that is hard to guess)' }).describe('ntfy topic (hard to guess on a public server)'),
  /** Access token (`tk_...`), sent as `Authorization: Bearer`, for protected topics and servers. @default none */
  token: z.string().min(1).optional().describe('Access token tk_... for protected topics (a secret)'),
  /** Alert size (USD) from which notifications get a higher priority (5 urgent, 4 high; else 3 default). */
  priority: z
    .strictObject({
      /** @default 1M */
      urgent: amount().default(1_000_000),
      /** @default 250k */
      high: amount().default(250_000),
    })
    .prefault({})
    .describe('USD sizes for priority 5 (urgent) and 4 (high); smaller alerts get 3'),
  /** Extra tags on every notification (ntfy shows emoji short codes as emoji, e.g. `chart_with_downwards_trend`). @default [] */
  tags: z.array(z.string().regex(/^[\w+-]{1,40}$/, { error: 'must be a tag: letters, digits, _, + and - only' })).default([]).describe('Extra tags (emoji short codes or words)'),
  /** Give up on an answer after this long, then retry. @default 10s */
  timeout: duration().prefault('10s').describe('Time to wait for an answer before retrying (e.g. 10s)'),
});

/** Options as written in the config. */
export type NtfyOptionsInput = z.input<typeof ntfyOptions>;
/** Options after validation. */
export type NtfyOptions = z.output<typeof ntfyOptions>;
