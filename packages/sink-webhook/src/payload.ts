/**
 * What the webhook receiver gets: one alert per request, as JSON. The alert exactly as rules produce it
 * (the same object `console` prints with `format: json`: `rule`, `kind`, `events` and the fields of its
 * kind), plus `text`, core's plain-text rendering, for receivers that only show a message (Mattermost,
 * Rocket.Chat and many chat bridges read a `text` field). README.md documents every field.
 */
import { createHmac } from 'node:crypto';
import type { Alert, Formatter } from '@liqmon/core';

/** The JSON body of one request. */
export type WebhookPayload = Alert & {
  /** The alert rendered as plain text by core's formatter (your `format:` settings apply). */
  text: string;
};

/** Signature and timestamp header names. */
export const SIGNATURE_HEADER = 'X-Liqmon-Signature';
export const TIMESTAMP_HEADER = 'X-Liqmon-Timestamp';

/** The JSON body for one alert. */
export function payloadOf(alert: Alert, formatter: Formatter): string {
  const payload: WebhookPayload = { ...alert, text: formatter.plain([alert]) };
  return JSON.stringify(payload);
}

/**
 * `sha256=<hex>` of HMAC-SHA256 over `<timestamp>.<body>` (the timestamp in whole seconds since the
 * epoch, as sent in {@link TIMESTAMP_HEADER}). Signing the timestamp with the body is what lets a
 * receiver refuse old requests replayed by someone who captured one.
 */
export function signatureOf(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}
