/**
 * What a Slack answer means for the outbox. Incoming webhooks answer `ok` with 200, and otherwise a
 * status with a short reason in a plain-text body (https://api.slack.com/changelog/2016-05-17-changes-to-errors-for-incoming-webhooks,
 * https://api.slack.com/messaging/webhooks#handling_errors): 400 `invalid_payload` / `user_not_found`,
 * 403 `action_prohibited` / `invalid_token`, 404 `channel_not_found` / `no_service` (webhook removed or
 * disabled), 410 `channel_is_archived`, 429 with `Retry-After`, 5xx `rollup_error`. A reason that says
 * the message was wrong skips it; every other 400/403/404/410 stops the sink with what to do.
 */
import { DeliveryError, httpFailure, type HttpAnswer } from '@liqmon/core';

/** Reasons that concern this one message (a liqmon rendering bug), not the configuration. */
const MESSAGE_REASONS = new Set(['invalid_payload', 'invalid_blocks', 'invalid_blocks_format', 'no_text', 'too_many_attachments', 'missing_text_or_fallback_or_attachments']);

const NEW_WEBHOOK = 'In Slack: your app\'s settings → Incoming Webhooks → Add New Webhook to Workspace, pick the channel, copy the URL into SLACK_WEBHOOK_URL (or `webhookUrl`), and restart.';

const HINTS: Readonly<Record<string, string>> = {
  no_service: `The webhook was removed or its app disabled. ${NEW_WEBHOOK}`,
  no_team: `The workspace of this webhook is gone. ${NEW_WEBHOOK}`,
  no_active_hooks: `The webhook is switched off. Turn Incoming Webhooks on in the app's settings, or: ${NEW_WEBHOOK}`,
  invalid_token: `The webhook URL is wrong or was revoked. ${NEW_WEBHOOK}`,
  channel_not_found: `The webhook's channel no longer exists. ${NEW_WEBHOOK}`,
  channel_is_archived: `The webhook's channel is archived: unarchive it, or ${NEW_WEBHOOK.charAt(0).toLowerCase()}${NEW_WEBHOOK.slice(1)}`,
  action_prohibited: 'A workspace admin restricts what this webhook may post. Ask them, or use another channel.',
  posting_to_general_channel_denied: 'Only admins may post in this channel. Pick another channel for the webhook.',
  user_not_found: `The webhook points at a user that does not exist. ${NEW_WEBHOOK}`,
};

/** The failure a non-2xx answer means. */
export function slackFailure(answer: HttpAnswer): DeliveryError {
  const reason = /^[a-z_]{2,60}$/.test(answer.text.trim()) ? answer.text.trim() : undefined;
  const service = 'Slack';
  const { status } = answer;
  if (status === 400 && reason !== undefined && MESSAGE_REASONS.has(reason)) {
    return new DeliveryError('rejected', `Slack refused the message (${status} ${reason})`, {
      status,
      hint: 'This is a liqmon bug (the message broke a Block Kit rule); please report it with this log line.',
    });
  }
  if (status === 400 || status === 403 || status === 404 || status === 410) {
    return new DeliveryError('fatal', `Slack refused the webhook (${status}${reason ? ` ${reason}` : ''})`, { status, hint: (reason && HINTS[reason]) ?? NEW_WEBHOOK });
  }
  return httpFailure(answer, { service, ...(reason ? { reason } : {}) });
}
