/**
 * Options of the Slack sink, as users write them under `sinks.<name>` (besides `use`). The webhook URL
 * is the secret (anyone who has it can post in the channel), so no message here ever repeats it.
 */
import { duration, z } from '@liqmon/core';

/**
 * An incoming-webhook URL (https://api.slack.com/messaging/webhooks): `https://hooks.slack.com/services/T…/B…/…`,
 * or any https URL (a proxy, Slack GovSlack's host); plain http only on the loopback interface, for local
 * test servers, because the URL is the credential.
 */
export const SLACK_WEBHOOK_URL_RE = /^(?:https:\/\/[^/?#\s@]+|http:\/\/(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+)?)\/\S*$/;

export const slackOptions = z.object({
  /** The incoming webhook's URL, a secret (redacted from every log line). */
  webhookUrl: z
    .string()
    .regex(SLACK_WEBHOOK_URL_RE, {
      error: 'must be a Slack incoming-webhook URL like https://hooks.slack.com/services/T000/B000/XXXX, copied whole from your Slack app → Incoming Webhooks (plain http:// only for localhost)',
    })
    .describe('Slack incoming-webhook URL (a secret)'),
  /**
   * Least time between two messages to this webhook: Slack allows about one message per second per
   * webhook (https://api.slack.com/apis/rate-limits#incoming-webhooks). @default 1s
   */
  minInterval: duration().prefault('1s').describe('Least time between two messages (Slack allows about 1 per second per webhook)'),
  /** Give up on an answer after this long, then retry. @default 10s */
  timeout: duration().prefault('10s').describe('Time to wait for an answer before retrying (e.g. 10s)'),
});

/** Options as written in the config. */
export type SlackOptionsInput = z.input<typeof slackOptions>;
/** Options after validation. */
export type SlackOptions = z.output<typeof slackOptions>;
