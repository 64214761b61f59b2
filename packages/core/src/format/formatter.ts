/**
 * Core's one formatter: turns alerts into {@link FormattedAlert}s (words, no markup) that the renderers
 * in this folder write as plain text, Telegram MarkdownV2 or HTML, or Discord embeds.
 */
import type { Alert, CascadeAlert, DigestAlert, LiquidationAlert } from '../alert.js';
import { formatSchema, type Wording } from '../config/schema.js';
import type { Liquidation } from '../liquidation.js';
import { firstAndLastPrice, formatPriceRange, priceLabel, sampledExchanges, sharedPriceKind } from './facts.js';
import { describeLargest, largestOf } from './largest.js';
import {
  formatCount,
  formatDuration,
  formatPrice,
  formatQuantity,
  formatUsd,
  formatUtc,
  formatUtcSpan,
  skulls,
} from './numbers.js';
import { renderDiscord, type DiscordMessage } from './render-discord.js';
import { renderPlain } from './render-plain.js';
import { renderTelegramHtml, renderTelegramMarkdownV2 } from './render-telegram.js';
import { sanitizeLiquidation, sanitizeText } from './sanitize.js';
import { capitalize, formatSummary } from './summary.js';
import type { FormatOptions, FormattedAlert, FormattedField } from './types.js';

/** Coin emoji of the original monitor; `format.coinEmoji` adds to and overrides them. */
export const DEFAULT_COIN_EMOJI: Readonly<Record<string, string>> = { BTC: '🟠', ETH: '🔵', SOL: '🟣' };

/** Renders alerts for sinks. Sinks get one in `context.formatter`. */
export interface Formatter {
  /** The options in effect (defaults filled in). */
  readonly options: FormatOptions;
  /** One alert in words, without markup. */
  format(alert: Alert): FormattedAlert;
  /** Alerts merged into one plain-text message (console, logs). */
  plain(alerts: readonly Alert[]): string;
  /** Alerts merged into one Telegram message with `parse_mode: MarkdownV2`. */
  telegramMarkdownV2(alerts: readonly Alert[]): string;
  /** Alerts merged into one Telegram message with `parse_mode: HTML`. */
  telegramHtml(alerts: readonly Alert[]): string;
  /** Alerts merged into one Discord webhook body (embeds). */
  discord(alerts: readonly Alert[]): DiscordMessage;
}

/** Build a formatter from the `format:` config (defaults when omitted). */
export function createFormatter(options: FormatOptions = formatSchema.parse({})): Formatter {
  const emoji = new Map<string, string>();
  for (const [base, value] of Object.entries({ ...DEFAULT_COIN_EMOJI, ...options.coinEmoji })) {
    emoji.set(base.toUpperCase(), value);
  }
  const tags = new Map(Object.entries(options.exchangeTags).map(([k, v]) => [k.toLowerCase(), v]));
  const ctx: Ctx = {
    options,
    emojiOf: (base) => emoji.get(base.toUpperCase()) ?? options.defaultCoinEmoji,
    // Exchange names come from events: sanitised here, as every other event text is in sanitizeLiquidation.
    tagOf: (exchange) => tags.get(exchange.toLowerCase()) ?? sanitizeText(exchange.toUpperCase()),
    skullsOf: (usd) => skulls(usd, options.skull),
    time: (ms) => `${formatUtc(ms, options.showDate)} UTC`,
    span: (from, to) => formatUtcSpan(from, to, options.showDate),
  };
  const format = (alert: Alert): FormattedAlert => {
    switch (alert.kind) {
      case 'liquidation':
        return formatLiquidation(alert, ctx);
      case 'cascade':
        return formatCascade(alert, ctx);
      case 'digest':
        return formatDigest(alert, ctx);
      case 'summary':
        return formatSummary(alert, { words: options.wording, tagOf: ctx.tagOf });
    }
  };
  // Said once per message, after the alerts, whatever the number of alerts with sampled totals.
  const footer = (alerts: readonly Alert[]): string | undefined => {
    const exchanges = new Set(alerts.flatMap(sampledExchanges));
    if (exchanges.size === 0) return undefined;
    return `${[...exchanges].map(ctx.tagOf).join(', ')}: ${options.wording.sampled}`;
  };
  return {
    options,
    format,
    plain: (alerts) => renderPlain(alerts.map(format), footer(alerts)),
    telegramMarkdownV2: (alerts) => renderTelegramMarkdownV2(alerts.map(format), footer(alerts)),
    telegramHtml: (alerts) => renderTelegramHtml(alerts.map(format), footer(alerts)),
    discord: (alerts) => renderDiscord(alerts.map(format), footer(alerts)),
  };
}

interface Ctx {
  options: FormatOptions;
  emojiOf(base: string): string;
  tagOf(exchange: string): string;
  skullsOf(usd: number): string;
  time(ms: number): string;
  span(from: number, to: number): string;
}

function formatLiquidation(alert: LiquidationAlert, ctx: Ctx): FormattedAlert {
  const words = ctx.options.wording;
  const largest = largestOf(alert.events);
  if (!largest) return emptyAlert(alert, ctx);
  const head = sanitizeLiquidation(largest);
  const price = `$${formatPrice(head.price)}`;
  const priceName = priceLabel(head.priceKind, words);
  const size = `${formatQuantity(head.quantity)} ${head.base}`;
  const time = ctx.time(head.time);
  const folded = alert.folded ?? foldedOf(alert.events, largest);
  const notes = folded.count > 0 ? [`+${formatCount(folded.count)} ${words.more}, ${formatUsd(folded.notionalUsd)}`] : [];
  const fields: FormattedField[] = [
    { name: priceName, value: price, inline: true },
    { name: words.size, value: size, inline: true },
    { name: words.time, value: time, inline: true },
  ];
  return {
    kind: 'liquidation',
    rule: alert.rule,
    emoji: ctx.emojiOf(head.base),
    tag: ctx.tagOf(head.exchange),
    title: `${head.symbol} ${head.side === 'long' ? words.long : words.short} ${formatUsd(head.notionalUsd)}`,
    skulls: ctx.skullsOf(head.notionalUsd),
    lines: [`${priceName} ${price} · ${size} · ${time}`, ...notes],
    fields,
    notes,
    side: head.side,
    time: head.time,
  };
}

/** Tally of the events other than the headline, for alerts that did not say what they folded. */
function foldedOf(events: readonly Liquidation[], head: Liquidation): { count: number; notionalUsd: number } {
  let notionalUsd = 0;
  for (const event of events) if (event !== head) notionalUsd += event.notionalUsd;
  return { count: events.length - 1, notionalUsd };
}

function formatCascade(alert: CascadeAlert, ctx: Ctx): FormattedAlert {
  const words = ctx.options.wording;
  const side = alert.key.side === 'long' || alert.key.side === 'short' ? alert.key.side : undefined;
  // A key of nothing but the side (`by: []`, `by: side`) covers every market the rule owns: say so.
  const label =
    Object.entries(alert.key)
      .filter(([field]) => field !== 'side')
      .map(([field, value]) => (field === 'exchange' ? ctx.tagOf(value) : sanitizeText(value)))
      .join(' ') || words.allMarkets;
  const base = cascadeBase(alert);
  const kindWord = side === 'long' ? words.longCascade : side === 'short' ? words.shortCascade : words.cascade;
  const exchanges = Object.entries(alert.byExchange).sort((a, b) => b[1].notionalUsd - a[1].notionalUsd);
  const breakdown = exchanges
    .map(([exchange, tally]) => `${ctx.tagOf(exchange)} ${formatUsd(tally.notionalUsd)} (${formatCount(tally.count)})`)
    .join(' · ');
  const span = ctx.span(alert.firstTime, alert.lastTime);
  const largest = describeLargest(sanitizeLiquidation(alert.largest), ctx.tagOf);
  const range = base === undefined ? undefined : cascadeRange(alert, words);
  const since = alert.sinceLastReport;
  const notes = since
    ? [
        `+${formatUsd(since.notionalUsd)} ${words.more} in the last ${formatDuration(since.sinceMs)} (${formatCount(since.count)} ${words.liquidations})`,
      ]
    : [];
  const fields: FormattedField[] = [
    { name: capitalize(words.liquidations), value: formatCount(alert.count), inline: true },
    { name: words.time, value: span, inline: true },
    ...(range ? [{ name: range.name, value: range.value, inline: false }] : []),
    { name: words.largest, value: largest, inline: false },
    ...exchanges.map(([exchange, tally]) => ({
      name: ctx.tagOf(exchange),
      value: `${formatUsd(tally.notionalUsd)} (${formatCount(tally.count)})`,
      inline: true,
    })),
  ];
  return {
    kind: 'cascade',
    rule: alert.rule,
    emoji: base === undefined ? ctx.options.mixedCoinEmoji : ctx.emojiOf(sanitizeText(base)),
    tag: exchanges.map(([exchange]) => ctx.tagOf(exchange)).join('+'),
    title: [label, kindWord, formatUsd(alert.totalUsd)].filter(Boolean).join(' '),
    skulls: ctx.skullsOf(alert.totalUsd),
    lines: [
      ...notes,
      `${formatCount(alert.count)} ${words.liquidations} · ${span}`,
      ...(range ? [`${range.name} ${range.value}`] : []),
      breakdown,
      `${words.largest} ${largest}`,
    ],
    fields,
    notes,
    ...(side ? { side } : {}),
    time: alert.lastTime,
  };
}

function formatDigest(alert: DigestAlert, ctx: Ctx): FormattedAlert {
  const words = ctx.options.wording;
  const span = ctx.span(alert.firstTime, alert.lastTime);
  const largest = alert.largest ? describeLargest(sanitizeLiquidation(alert.largest), ctx.tagOf) : undefined;
  const fields: FormattedField[] = [{ name: words.time, value: span, inline: true }];
  if (largest) fields.push({ name: words.largest, value: largest, inline: false });
  return {
    kind: 'digest',
    rule: alert.rule,
    emoji: alert.largest ? ctx.emojiOf(sanitizeText(alert.largest.base)) : ctx.options.defaultCoinEmoji,
    tag: '',
    title: `+${formatCount(alert.count)} ${words.more} ${words.liquidations}, ${formatUsd(alert.totalUsd)} ${words.inTotal}`,
    skulls: '',
    lines: [span, ...(largest ? [`${words.largest} ${largest}`] : [])],
    fields,
    notes: [],
    time: alert.lastTime,
  };
}

/**
 * The one base asset of a cascade's liquidations, or undefined when they are of several or it cannot be
 * told: from the key, else from the rule's price range (which it gives only for one base), else from
 * the events when they are all of the cascade's.
 */
function cascadeBase(alert: CascadeAlert): string | undefined {
  if (alert.key.base !== undefined) return alert.key.base;
  if (alert.firstPrice !== undefined && alert.lastPrice !== undefined) return alert.largest.base;
  if (alert.events.length < alert.count) return undefined;
  const base = alert.largest.base;
  return alert.events.every((event) => event.base === base) ? base : undefined;
}

/**
 * The whole cascade's price range, labelled with the kind of its prices: from the rule's first and last
 * price when it tracks them, else from the events the alert carries when they are all of the cascade's
 * (an update or a long cascade lists only some, whose range is not the cascade's). None for a cascade
 * of one liquidation.
 */
function cascadeRange(alert: CascadeAlert, words: Wording): { name: string; value: string } | undefined {
  const prices =
    alert.firstPrice !== undefined && alert.lastPrice !== undefined
      ? alert.count > 1
        ? { first: alert.firstPrice, last: alert.lastPrice }
        : undefined
      : alert.events.length >= alert.count
        ? firstAndLastPrice(alert.events)
        : undefined;
  const value = prices && formatPriceRange(prices.first, prices.last);
  return value ? { name: priceLabel(sharedPriceKind([...alert.events, alert.largest]), words), value } : undefined;
}

/** A liquidation alert without events (should not happen): still say something rather than throw. */
function emptyAlert(alert: LiquidationAlert, ctx: Ctx): FormattedAlert {
  return {
    kind: alert.kind,
    rule: alert.rule,
    emoji: ctx.options.defaultCoinEmoji,
    tag: '',
    title: `${alert.rule}: 0 ${ctx.options.wording.liquidations}`,
    skulls: '',
    lines: [],
    fields: [],
    notes: [],
    time: alert.createdAt,
  };
}
