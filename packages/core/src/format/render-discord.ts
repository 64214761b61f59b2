/**
 * Discord renderer: one embed per alert. Limits from Discord's "Embed Limits" (Message resource docs):
 * title 256 characters, description 4096, at most 25 fields, field name 256 and value 1024, footer 2048,
 * 6000 characters in all embeds of a message together, and at most 10 embeds per message.
 */
import { escapeDiscord } from './escape.js';
import { headlineParts } from './render-plain.js';
import type { FormattedAlert } from './types.js';

/** Discord's embed limits. */
export const DISCORD_LIMITS = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
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
}

/** A webhook body: up to 10 embeds. */
export interface DiscordMessage {
  embeds: DiscordEmbed[];
}

/** Embed colours: long liquidations red (price falling), short ones green, the rest amber. */
export const DISCORD_COLORS = { long: 0xe74c3c, short: 0x2ecc71, other: 0xf39c12 } as const;

function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  // Cut before a trailing backslash so that an escape is never split in two.
  return text.slice(0, max - 1).replace(/\\+$/, '') + '…';
}

function embedOf(alert: FormattedAlert): DiscordEmbed {
  const { emoji, strong } = headlineParts(alert);
  const description = [alert.skulls, ...alert.notes].filter(Boolean).map(escapeDiscord).join('\n');
  const embed: DiscordEmbed = {
    title: clip(escapeDiscord([emoji, strong].filter(Boolean).join(' ')), DISCORD_LIMITS.title),
    color: alert.side ? DISCORD_COLORS[alert.side] : DISCORD_COLORS.other,
    timestamp: new Date(Number.isFinite(alert.time) ? alert.time : 0).toISOString(),
    fields: alert.fields.slice(0, DISCORD_LIMITS.fields).map((field) => ({
      name: clip(escapeDiscord(field.name), DISCORD_LIMITS.fieldName) || '\u200b',
      value: clip(escapeDiscord(field.value), DISCORD_LIMITS.fieldValue) || '\u200b',
      inline: field.inline,
    })),
  };
  if (description) embed.description = clip(description, DISCORD_LIMITS.description);
  if (alert.rule) embed.footer = { text: clip(`rule ${alert.rule}`, DISCORD_LIMITS.footer) };
  return embed;
}

/**
 * Alerts as one webhook body. Beyond 10 alerts, the 10th embed lists the headlines of the rest, so a
 * sink that merges more than Discord takes still says everything (set `maxAlertsPerMessage: 10` to avoid it).
 */
export function renderDiscord(alerts: readonly FormattedAlert[]): DiscordMessage {
  if (alerts.length <= DISCORD_LIMITS.embeds) return { embeds: alerts.map(embedOf) };
  const shown = alerts.slice(0, DISCORD_LIMITS.embeds - 1).map(embedOf);
  const rest = alerts.slice(DISCORD_LIMITS.embeds - 1);
  const lines = rest.map((alert) => {
    const { emoji, strong } = headlineParts(alert);
    return escapeDiscord([emoji, strong].filter(Boolean).join(' '));
  });
  shown.push({
    title: `+${rest.length} more alerts`,
    description: clip(lines.join('\n'), DISCORD_LIMITS.description),
    color: DISCORD_COLORS.other,
    timestamp: new Date(Math.max(...rest.map((alert) => (Number.isFinite(alert.time) ? alert.time : 0)))).toISOString(),
    fields: [],
  });
  return { embeds: shown };
}

/** Characters that count towards Discord's 6000 limit; use it as a Discord sink's `measure`. */
export function discordMessageLength(message: DiscordMessage): number {
  let total = 0;
  for (const embed of message.embeds) {
    total += embed.title.length + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0);
    for (const field of embed.fields) total += field.name.length + field.value.length;
  }
  return total;
}
