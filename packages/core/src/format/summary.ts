/**
 * A summary alert in words: `📊 24h: $1.24B liquidated, 68% longs`, then the exchanges' shares, the
 * top base assets, the count and sizes, and the period. Every sink renders it from here, as any alert.
 */
import type { SummaryAlert } from '../alert.js';
import type { Wording } from '../config/schema.js';
import type { StatsGroup } from '../stats/types.js';
import { formatCount, formatDuration, formatUsd, formatUtc } from './numbers.js';
import { sanitizeText } from './sanitize.js';
import type { FormattedAlert, FormattedField } from './types.js';

const DAY_MS = 86_400_000;

/** What the summary needs of the formatter. */
export interface SummaryFormatContext {
  words: Wording;
  tagOf(exchange: string): string;
}

/** `24h`, `4h`, `30m`, `7d`: the length of a period as its summary names it. */
export function periodLabel(ms: number): string {
  return ms >= 2 * DAY_MS && ms % DAY_MS === 0 ? `${ms / DAY_MS}d` : formatDuration(ms);
}

/** A share as a whole percent, or with one decimal below 10% (`41%`, `3.5%`, `<0.1%`). */
export function formatShare(share: number): string {
  const percent = share * 100;
  if (percent > 0 && percent < 0.1) return '<0.1%';
  return percent < 10 ? `${Number(percent.toFixed(1))}%` : `${Math.round(percent)}%`;
}

/** `2024-06-01 00:00–2024-06-02 00:00 UTC`, the date said once when both ends share it. */
export function formatPeriod(since: number, until: number): string {
  const from = formatUtc(since, true).slice(0, 16);
  const to = formatUtc(until, true).slice(0, 16);
  return `${from}–${from.slice(0, 10) === to.slice(0, 10) ? to.slice(11) : to} UTC`;
}

export function formatSummary(alert: SummaryAlert, ctx: SummaryFormatContext): FormattedAlert {
  const words = ctx.words.summary;
  const { stats } = alert;
  const label = periodLabel(alert.periodMs);
  // With the rule's minUsd, say which liquidations were counted: `of $100K or more`.
  const bar = stats.minUsd !== null && stats.minUsd > 0 ? ` of ${formatUsd(stats.minUsd)} ${words.orMore}` : '';
  const period = formatPeriod(stats.since, stats.until);
  const counted = alert.countedFrom === undefined ? [] : [`${words.countedFrom} ${formatUtc(alert.countedFrom, true).slice(0, 16)} UTC`];
  const base = { kind: 'summary' as const, rule: alert.rule, emoji: words.emoji, tag: '', skulls: '', time: stats.until, notes: counted };
  if (stats.count === 0) {
    return {
      ...base,
      title: `${label}: ${words.noLiquidations}${bar}`,
      lines: [period, ...counted],
      fields: [{ name: words.period, value: period, inline: false }],
    };
  }
  const longShare = formatShare(stats.sides.long.totalUsd / stats.totalUsd || 0);
  const shortShare = formatShare(stats.sides.short.totalUsd / stats.totalUsd || 0);
  const title = `${label}: ${formatUsd(stats.totalUsd)} ${words.liquidated}, ${longShare} ${words.longs}`;
  const exchanges = ranking(
    stats.by === 'exchange' ? stats.groups : [],
    (group) => `${ctx.tagOf(group.key)} ${formatShare(group.share)}`,
    (share) => `${words.others} ${formatShare(share)}`,
  );
  const bases = stats.top.map((entry) => `${sanitizeText(entry.base)} ${formatUsd(entry.totalUsd)}`).join(', ');
  const sides = `${formatCount(stats.count)} ${ctx.words.liquidations}${bar} · ${capitalize(words.longs)} ${formatUsd(stats.sides.long.totalUsd)} · ${capitalize(words.shorts)} ${formatUsd(stats.sides.short.totalUsd)}`;
  const { min, median, average, max } = stats.size;
  const sizes = [
    [words.min, min],
    [words.median, median],
    [words.average, average],
    [words.max, max],
  ]
    .flatMap(([name, value]) => (typeof value === 'number' ? [`${name} ${formatUsd(value)}`] : []))
    .join(' · ');
  const fields: FormattedField[] = [
    { name: capitalize(ctx.words.liquidations), value: `${formatCount(stats.count)}${bar}`, inline: true },
    { name: capitalize(words.longs), value: `${formatUsd(stats.sides.long.totalUsd)} (${longShare})`, inline: true },
    { name: capitalize(words.shorts), value: `${formatUsd(stats.sides.short.totalUsd)} (${shortShare})`, inline: true },
    ...(exchanges ? [{ name: words.exchanges, value: exchanges, inline: false }] : []),
    ...(bases ? [{ name: words.top, value: bases, inline: false }] : []),
    { name: words.sizes, value: sizes, inline: false },
    { name: words.period, value: period, inline: false },
  ];
  return {
    ...base,
    title,
    lines: [
      ...(exchanges ? [exchanges] : []),
      ...(bases ? [`${words.top} ${bases}`] : []),
      sides,
      `${words.sizes} ${sizes}`,
      period,
      ...counted,
    ],
    fields,
  };
}

/** Exchanges listed by name in a summary; more are given as one `others` share. */
const LISTED_GROUPS = 10;

/** The first {@link LISTED_GROUPS} groups with their shares, then the rest as one `others` share. */
function ranking(groups: readonly StatsGroup[], each: (group: StatsGroup) => string, others: (share: number) => string): string {
  const shown = groups.slice(0, LISTED_GROUPS);
  const rest = groups.slice(shown.length).reduce((sum, group) => sum + group.share, 0);
  return [...shown.map(each), ...(rest > 0 ? [others(rest)] : [])].join(', ');
}

/** `longs` -> `Longs`, for words used as field names. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
