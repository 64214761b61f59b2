/**
 * Alerts as one ntfy notification: a title, a plain-text body (core's plain rendering, so no markup to
 * escape), a priority by size and tags. ntfy keeps a message body up to 4096 bytes and turns a longer
 * one into an attachment (https://docs.ntfy.sh/publish/#limitations), so the body is cut to fit.
 */
import { formatUsd, type Alert, type Formatter } from '@liqmon/core';
import type { NtfyOptions } from './options.js';

/** ntfy's message limit, bytes of UTF-8. */
export const NTFY_MESSAGE_LIMIT = 4096;

/** Alerts merged into one notification: a phone shows a few lines well. */
export const NTFY_MAX_ALERTS_PER_MESSAGE = 5;

/** ntfy priorities (https://docs.ntfy.sh/publish/#message-priority): 3 default, 4 high, 5 urgent. */
export type NtfyPriority = 3 | 4 | 5;

/** One notification. */
export interface NtfyMessage {
  title: string;
  body: string;
  priority: NtfyPriority;
  tags: string[];
}

/** An emoji tag per kind (ntfy shows these short codes as emoji before the title). */
const KIND_TAG: Readonly<Record<Alert['kind'], string>> = { liquidation: 'skull', cascade: 'rotating_light', digest: 'inbox_tray', summary: 'bar_chart' };

/**
 * USD size of an alert: the largest liquidation, or a cascade's or digest's total. A summary counts as
 * 0: it comes on a schedule, at the default priority, however large the period's total.
 */
export function alertUsd(alert: Alert): number {
  if (alert.kind === 'liquidation') return Math.max(0, ...alert.events.map((e) => e.notionalUsd));
  if (alert.kind === 'summary') return 0;
  return alert.totalUsd;
}

/** The priority for alerts of this size. */
export function priorityOf(usd: number, thresholds: NtfyOptions['priority']): NtfyPriority {
  if (usd >= thresholds.urgent) return 5;
  if (usd >= thresholds.high) return 4;
  return 3;
}

/** Cut to at most `max` bytes of UTF-8, on a character boundary, with `…`. */
export function clipBytes(text: string, max: number): string {
  if (Buffer.byteLength(text) <= max) return text;
  let cut = '';
  let bytes = Buffer.byteLength('…');
  for (const char of text) {
    bytes += Buffer.byteLength(char);
    if (bytes > max) break;
    cut += char;
  }
  return `${cut}…`;
}

/** Render alerts (merged) into one notification. */
export function renderNtfy(alerts: readonly Alert[], formatter: Formatter, options: Pick<NtfyOptions, 'priority' | 'tags'>): NtfyMessage {
  const usd = Math.max(0, ...alerts.map(alertUsd));
  const first = alerts[0];
  const head = first ? formatter.format(first) : undefined;
  const title = alerts.length === 1 && head ? [head.tag, head.title].filter(Boolean).join(' ') : `${alerts.length} liquidation alerts, up to ${formatUsd(usd)}`;
  const tags = new Set(options.tags);
  for (const alert of alerts) tags.add(KIND_TAG[alert.kind]);
  for (const alert of alerts) for (const e of alert.events) tags.add(e.side);
  return { title, body: clipBytes(formatter.plain(alerts), NTFY_MESSAGE_LIMIT), priority: priorityOf(usd, options.priority), tags: [...tags] };
}

/**
 * A header value as ntfy reads it: printable ASCII as is, anything else (emoji, accents, a newline in a
 * symbol) as an RFC 2047 encoded word, `=?UTF-8?B?...?=`, which ntfy decodes
 * (https://docs.ntfy.sh/publish/#message-title). Node's fetch refuses raw non-Latin-1 header values.
 */
export function headerValue(text: string): string {
  return /^[\x20-\x7e]*$/.test(text) ? text : `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}
