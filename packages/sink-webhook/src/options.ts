/**
 * Options of the webhook sink, as users write them under `sinks.<name>` (besides `use`). The URL, the
 * signing secret and headers that carry credentials are secrets: no message ever repeats them.
 */
import { duration, z } from '@liqmon/core';

/** Header names that carry credentials: their values are registered as secrets. */
export const SECRET_HEADER_RE = /auth|token|key|secret|password|cookie|signature|session/i;

/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME_RE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export const webhookOptions = z.object({
  /** Where to POST each alert: an `https://` URL (plain `http://` works but sends the alert and headers in clear). A secret. */
  url: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL, e.g. https://example.com/liqmon-hook' })
    .describe('URL that receives each alert as a JSON POST (a secret)'),
  /** Extra request headers, e.g. `Authorization: Bearer ...`. Values of names like authorization, token, key are secrets. @default {} */
  headers: z
    .record(z.string(), z.string().regex(/^[^\r\n]*$/, { error: 'must be one line' }))
    .superRefine((headers, ctx) => {
      for (const name of Object.keys(headers)) {
        if (!HEADER_NAME_RE.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: 'is not an HTTP header name (letters, digits and - only)' });
      }
    })
    .default({})
    .describe('Extra request headers (values of authorization-like names are secrets)'),
  /**
   * Sign every request with HMAC-SHA256 of `<timestamp>.<body>` under this secret, sent as
   * `X-Liqmon-Signature: sha256=<hex>` with `X-Liqmon-Timestamp`. At least 16 characters. @default no signature
   */
  secret: z.string().min(16, { error: 'must be at least 16 characters (use a long random string, e.g. `openssl rand -hex 32`)' }).optional().describe('HMAC-SHA256 signing secret (a secret)'),
  /** Give up on an answer after this long, then retry. @default 10s */
  timeout: duration().prefault('10s').describe('Time to wait for an answer before retrying (e.g. 10s)'),
});

/** Options as written in the config. */
export type WebhookOptionsInput = z.input<typeof webhookOptions>;
/** Options after validation. */
export type WebhookOptions = z.output<typeof webhookOptions>;
