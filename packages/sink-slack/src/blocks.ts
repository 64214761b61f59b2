/**
 * Alerts as a Slack Block Kit message (https://api.slack.com/reference/block-kit/blocks): per alert a
 * `header` (plain text: headline), a `section` (skulls and notes as mrkdwn, the facts as fields) and a
 * `context` (rule and time, shown in each reader's time zone), alerts separated by dividers. Every limit
 * is kept by cutting text, never by failing: 50 blocks a message, header text 150 characters, section
 * text 3000, a section's fields 10 of 2000 each, the fallback `text` (notifications) 3000 here. Mrkdwn
 * text is escaped as Slack asks (`&`, `<`, `>`: https://api.slack.com/reference/surfaces/formatting#escaping),
 * so a symbol cannot mention `@channel`, a user, or add a link.
 */
import type { FormattedAlert } from '@liqmon/core';

/** Slack's limits that the renderer keeps (characters, and counts). */
export const SLACK_LIMITS = { blocks: 50, header: 150, sectionText: 3000, fields: 10, fieldText: 2000, contextText: 2000, fallbackText: 3000 } as const;

/** Blocks one alert takes (header, section, context) plus the divider before all but the first. */
const BLOCKS_PER_ALERT = 4;

/** Most alerts merged into one message: 10 alerts take 39 of the 50 blocks. */
export const SLACK_MAX_ALERTS_PER_MESSAGE = 10;

type Text = { type: 'plain_text'; text: string; emoji: true } | { type: 'mrkdwn'; text: string };

/** One Block Kit block, as far as this sink uses them. */
export type SlackBlock =
  | { type: 'header'; text: { type: 'plain_text'; text: string; emoji: true } }
  | { type: 'section'; text?: Text; fields?: Text[] }
  | { type: 'context'; elements: Text[] }
  | { type: 'divider' };

/** The webhook body. `text` is the notification and the fallback where blocks cannot show. */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

/** Escape text for mrkdwn: only `&`, `<` and `>` are control characters in Slack text. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cut to `max` characters (code points, so never inside an emoji or an escape) with `…`. */
export function clipSlack(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, max - 1).join('').replace(/&[a-z]{0,3}$/, '')}…`;
}

const mrkdwn = (text: string, max: number): Text => ({ type: 'mrkdwn', text: clipSlack(text, max) });

function headline(alert: FormattedAlert): string {
  return [alert.emoji, alert.tag, alert.title].filter(Boolean).join(' ');
}

/**
 * `<!date^SECONDS^{date_short} {time_secs}|fallback>`: Slack shows the time in the reader's own zone
 * (https://api.slack.com/reference/surfaces/formatting#date-formatting).
 */
function slackTime(ms: number): string {
  const fallback = `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
  return `<!date^${Math.floor(ms / 1000)}^{date_short} {time_secs}|${fallback}>`;
}

function alertBlocks(alert: FormattedAlert): SlackBlock[] {
  const note = [alert.skulls, ...alert.notes].filter(Boolean).map(escapeSlack).join('\n');
  const fields = alert.fields.slice(0, SLACK_LIMITS.fields).map((f) => mrkdwn(`*${escapeSlack(f.name)}*\n${escapeSlack(f.value)}`, SLACK_LIMITS.fieldText));
  // A section needs text or fields; a digest without facts gets its lines as text.
  const text = note || (fields.length === 0 ? alert.lines.map(escapeSlack).join('\n') : '');
  const section: SlackBlock = { type: 'section', ...(text ? { text: mrkdwn(text, SLACK_LIMITS.sectionText) } : {}), ...(fields.length ? { fields } : {}) };
  const rule = alert.rule ? `Rule *${escapeSlack(alert.rule)}* · ` : '';
  return [
    { type: 'header', text: { type: 'plain_text', text: clipSlack(headline(alert), SLACK_LIMITS.header), emoji: true } },
    section.text || section.fields ? section : { type: 'section', text: mrkdwn(escapeSlack(headline(alert)), SLACK_LIMITS.sectionText) },
    { type: 'context', elements: [mrkdwn(`${rule}${slackTime(alert.time)}`, SLACK_LIMITS.contextText)] },
  ];
}

/** Render formatted alerts into one message (at most {@link SLACK_MAX_ALERTS_PER_MESSAGE} fit the block limit). */
export function renderSlack(alerts: readonly FormattedAlert[]): SlackMessage {
  const blocks: SlackBlock[] = [];
  for (const alert of alerts) {
    if (blocks.length + BLOCKS_PER_ALERT > SLACK_LIMITS.blocks) break; // the outbox never merges this many
    if (blocks.length > 0) blocks.push({ type: 'divider' });
    blocks.push(...alertBlocks(alert));
  }
  const text = clipSlack(alerts.map((a) => escapeSlack(headline(a))).join('\n'), SLACK_LIMITS.fallbackText);
  return { text, blocks };
}
