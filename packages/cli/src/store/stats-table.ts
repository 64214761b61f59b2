/** `liqmon stats` as a person reads it: the period, the totals, sides, sizes, groups and top bases. */
import { formatUsd, type LiquidationStats, type StatsTally } from '@liqmon/core';

/** `2026-12-04 20:00:00 UTC`. */
function utc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** Aligned columns: the first left-aligned, the others right-aligned. */
function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => `  ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')}`.trimEnd());
}

/** The statistics as text. `store` is the file they come from. */
export function formatStats(stats: LiquidationStats, store: string): string {
  const lines: string[] = [];
  const filter = stats.minUsd === null ? '' : `, ${formatUsd(stats.minUsd)} and more`;
  lines.push(`liquidations from ${utc(stats.since)} to ${utc(stats.until)}${filter} (${store})`);
  if (stats.count === 0) {
    lines.push('', 'none stored in this period');
    return `${lines.join('\n')}\n`;
  }
  const side = (tally: StatsTally) => `${percent(stats.totalUsd > 0 ? tally.totalUsd / stats.totalUsd : 0)} (${formatUsd(tally.totalUsd)}, ${count(tally.count)})`;
  const { min, max, average, median } = stats.size;
  lines.push(
    '',
    `count    ${count(stats.count)}`,
    `total    ${formatUsd(stats.totalUsd)}`,
    `longs    ${side(stats.sides.long)}`,
    `shorts   ${side(stats.sides.short)}`,
    `size     min ${formatUsd(min ?? 0)}  max ${formatUsd(max ?? 0)}  average ${formatUsd(average ?? 0)}  median ${formatUsd(median ?? 0)}`,
    '',
    ...table([[`by ${stats.by}`, 'count', 'total', 'share'], ...stats.groups.map((g) => [g.key, count(g.count), formatUsd(g.totalUsd), percent(g.share)])]),
    '',
    ...table([['top bases', 'count', 'total', 'share'], ...stats.top.map((t) => [t.base, count(t.count), formatUsd(t.totalUsd), percent(t.share)])]),
  );
  if (stats.sampledExchanges.length > 0) {
    const names = stats.sampledExchanges.join(', ');
    lines.push('', `note: ${names} publish${stats.sampledExchanges.length === 1 ? 'es' : ''} only a sample of ${stats.sampledExchanges.length === 1 ? 'its' : 'their'} liquidations: counts and totals are a lower bound.`);
  }
  return `${lines.join('\n')}\n`;
}
