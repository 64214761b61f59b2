import type { FormattedAlert } from './types.js';

/** Headline parts in display order; the middle one (`tag title`) is what markup renderers make bold. */
export function headlineParts(alert: FormattedAlert): { emoji: string; strong: string; skulls: string } {
  return { emoji: alert.emoji, strong: [alert.tag, alert.title].filter(Boolean).join(' '), skulls: alert.skulls };
}

/**
 * Plain text: one block per alert (headline, then detail lines), blocks separated by a blank line; the
 * message's `footer` (a remark about all its alerts, e.g. sampled totals), if any, after another blank line.
 */
export function renderPlain(alerts: readonly FormattedAlert[], footer?: string): string {
  const blocks = alerts.map((alert) => {
    const { emoji, strong, skulls } = headlineParts(alert);
    return [[emoji, strong, skulls].filter(Boolean).join(' '), ...alert.lines].join('\n');
  });
  return (footer ? [...blocks, footer] : blocks).join('\n\n');
}
