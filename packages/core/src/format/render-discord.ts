/**
 * Discord renderer: one embed per alert. Limits from Discord's "Embed Limits" (Message resource,
 * https://discord.com/developers/docs/resources/message#embed-object-embed-limits): title 256
 * characters, description 4096, at most 25 fields, field name 256 and value 1024, footer 2048, author
 * name 256, and 6000 characters in all embeds of a message together; at most 10 embeds per message and
 * `content` up to 2000 characters (Execute Webhook, https://discord.com/developers/docs/resources/webhook#execute-webhook).
 * Discord counts characters as Unicode code points (its API validates Python `len()` of the strings), so
 * every limit here is counted in code points, and text is never cut inside a surrogate pair.
 */
import { escapeDiscord } from './escape.js';
import { headlineParts } from './render-plain.js';
import type { FormattedAlert } from './types.js';

/** Discord's message and embed limits, in Unicode code points (`embeds`, `fields`: counts). */
export const DISCORD_LIMITS = {
  content: 2000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  total: 6000,
  embeds: 10,
} as const;

/** An embed object as the Discord API takes it. */
export interface DiscordEmbed {
  title: string;
  description?: string;
  color: number;
  /** ISO 8601. */
  timestamp: string;
  fields: { name: string; value: string; inline: boolean }[];
  footer?: { text: string };
  author?: { name: string };
}

/** A webhook body: up to 10 embeds, and a remark about all of them (`content`, shown above them). */
export interface DiscordMessage {
  content?: string;
  embeds: DiscordEmbed[];
}

/** Embed colours: long liquidations red (price falling), short ones green, the rest amber. */
export const DISCORD_COLORS = { long: 0xe74c3c, short: 0x2ecc71, other: 0xf39c12 } as const;

/** Name of the exchange field of a single-liquidation embed. */
const EXCHANGE_FIELD = 'Exchange';
/** Shown in place of empty field names and values, which Discord refuses. */
const BLANK = '\u200b';

/** Length in Unicode code points, the unit of every Discord limit. */
export function codePointLength(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    length++;
  }
  return length;
}

/**
 * `text` cut to at most `max` code points, ending in `…` when cut. Never splits a surrogate pair, and
 * never leaves a lone trailing backslash, so a Discord escape (`\_`) is never cut in two.
 */
export function clipDiscord(text: string, max: number): string {
  if (codePointLength(text) <= max) return text;
  if (max <= 0) return '';
  const points = Array.from(text).slice(0, max - 1);
  let kept = points.join('');
  // An odd run of trailing backslashes means the last escape lost its character: drop that backslash.
  const run = /\\+$/.exec(kept)?.[0].length ?? 0;
  if (run % 2 === 1) kept = kept.slice(0, -1);
  return `${kept}…`;
}

function embedOf(alert: FormattedAlert): DiscordEmbed {
  const { emoji, strong } = headlineParts(alert);
  const description = [alert.skulls, ...alert.notes].filter(Boolean).map(escapeDiscord).join('\n');
  const facts = alert.kind === 'liquidation' && alert.tag ? [{ name: EXCHANGE_FIELD, value: alert.tag, inline: true }, ...alert.fields] : alert.fields;
  const embed: DiscordEmbed = {
    title: clipDiscord(escapeDiscord([emoji, strong].filter(Boolean).join(' ')), DISCORD_LIMITS.title),
    color: alert.side ? DISCORD_COLORS[alert.side] : DISCORD_COLORS.other,
    timestamp: isoTime(alert.time),
    fields: facts.slice(0, DISCORD_LIMITS.fields).map((field) => ({
      name: clipDiscord(escapeDiscord(field.name), DISCORD_LIMITS.fieldName) || BLANK,
      value: clipDiscord(escapeDiscord(field.value), DISCORD_LIMITS.fieldValue) || BLANK,
      inline: field.inline,
    })),
  };
  if (description) embed.description = clipDiscord(description, DISCORD_LIMITS.description);
  // Footers show no markdown, so the rule name is not escaped.
  if (alert.rule) embed.footer = { text: clipDiscord(`rule ${alert.rule}`, DISCORD_LIMITS.footer) };
  return embed;
}

function isoTime(ms: number): string {
  // Dates beyond ±8.64e15 ms make toISOString throw; an alert must still render.
  const date = new Date(Number.isFinite(ms) ? ms : 0);
  return Number.isNaN(date.getTime()) ? new Date(0).toISOString() : date.toISOString();
}

/**
 * Alerts as one webhook body, within every Discord limit. Beyond 10 alerts, the 10th embed lists the
 * headlines of the rest, so a sink that merges more than Discord takes still says everything (Discord
 * sinks set `maxAlertsPerMessage: 10` to avoid it). If the embeds together exceed 6000 code points,
 * descriptions are shortened, then fields and footers dropped, from the last embed backwards.
 * `footer`, a remark about all the alerts (sampled totals), becomes the message's `content`.
 */
export function renderDiscord(alerts: readonly FormattedAlert[], footer?: string): DiscordMessage {
  // The message's remark goes in `content`, which has its own limit and does not count towards the 6000.
  const content = footer ? { content: clipDiscord(escapeDiscord(footer), DISCORD_LIMITS.content) } : {};
  if (alerts.length <= DISCORD_LIMITS.embeds) return { ...content, embeds: fitTotal(alerts.map(embedOf)) };
  const shown = alerts.slice(0, DISCORD_LIMITS.embeds - 1).map(embedOf);
  const rest = alerts.slice(DISCORD_LIMITS.embeds - 1);
  const lines = rest.map((alert) => {
    const { emoji, strong } = headlineParts(alert);
    return escapeDiscord([emoji, strong].filter(Boolean).join(' '));
  });
  shown.push({
    title: `+${rest.length} more alerts`,
    description: clipDiscord(lines.join('\n'), DISCORD_LIMITS.description),
    color: DISCORD_COLORS.other,
    timestamp: isoTime(Math.max(...rest.map((alert) => (Number.isFinite(alert.time) ? alert.time : 0)))),
    fields: [],
  });
  return { ...content, embeds: fitTotal(shown) };
}

/** Shrink embeds (last first) until they fit the 6000 total; titles (10 x 256 at most) always fit. */
function fitTotal(embeds: DiscordEmbed[]): DiscordEmbed[] {
  let excess = discordMessageLength({ embeds }) - DISCORD_LIMITS.total;
  for (let i = embeds.length - 1; i >= 0 && excess > 0; i--) {
    const embed = embeds[i]!;
    if (embed.description !== undefined) {
      const length = codePointLength(embed.description);
      const keep = length - excess;
      if (keep >= 2) {
        embed.description = clipDiscord(embed.description, keep);
        excess -= length - codePointLength(embed.description);
      } else {
        delete embed.description;
        excess -= length;
      }
    }
    while (excess > 0 && embed.fields.length > 0) {
      const field = embed.fields.pop()!;
      excess -= codePointLength(field.name) + codePointLength(field.value);
    }
    if (excess > 0 && embed.footer) {
      excess -= codePointLength(embed.footer.text);
      delete embed.footer;
    }
  }
  return embeds;
}

/**
 * Code points that count towards Discord's 6000 limit (titles, descriptions, field names and values,
 * footers and author names of all embeds); use it as a Discord sink's `measure`.
 */
export function discordMessageLength(message: DiscordMessage): number {
  let total = 0;
  for (const embed of message.embeds) {
    total += codePointLength(embed.title) + codePointLength(embed.description ?? '');
    total += codePointLength(embed.footer?.text ?? '') + codePointLength(embed.author?.name ?? '');
    for (const field of embed.fields) total += codePointLength(field.name) + codePointLength(field.value);
  }
  return total;
}
