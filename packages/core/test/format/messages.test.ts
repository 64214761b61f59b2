/**
 * What the messages say (issue 14, items 11-14): the price label names the price's kind, skulls keep
 * meaning above $1M, a cascade shows its price range, and totals from a sampled feed say so once per
 * message, in every renderer.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Alert, CascadeAlert } from '../../src/alert.js';
import { formatSchema } from '../../src/config/schema.js';
import { createFormatter, readableText } from '../../src/format/index.js';
import { skulls } from '../../src/format/numbers.js';
import type { PriceKind } from '../../src/liquidation.js';
import { liq, T0 } from '../rules/liquidations.js';

const formatter = createFormatter();
const SAMPLED = 'BINANCE: only a sample of liquidations is reported, so totals are a lower bound';

/** The reader's text in each medium (the console prints `plain`). */
function everywhere(alerts: readonly Alert[]): Record<string, string> {
  return {
    plain: formatter.plain(alerts),
    MarkdownV2: readableText(formatter.telegramMarkdownV2(alerts), 'MarkdownV2'),
    HTML: readableText(formatter.telegramHtml(alerts), 'HTML'),
    discord: readableText(formatter.discord(alerts), 'discord'),
  };
}

const single = (kind: PriceKind, sampled = true): Alert => ({
  kind: 'liquidation',
  rule: 'r',
  events: [liq({ priceKind: kind, sampled, usd: 250_000, price: 64_250.1 })],
  createdAt: T0,
});

function cascadeOf(events: ReturnType<typeof liq>[], extra: Partial<CascadeAlert> = {}): CascadeAlert {
  const largest = events.reduce((a, b) => (b.notionalUsd >= a.notionalUsd ? b : a));
  const totalUsd = events.reduce((sum, event) => sum + event.notionalUsd, 0);
  return {
    kind: 'cascade',
    rule: 'c',
    events,
    createdAt: T0,
    key: { base: 'BTC', side: 'long' },
    windowMs: 60_000,
    count: events.length,
    totalUsd,
    byExchange: { [events[0]!.exchange]: { count: events.length, notionalUsd: totalUsd } },
    largest,
    firstTime: T0,
    lastTime: T0 + 30_000,
    ...extra,
  };
}

describe('the price label says what the price is', () => {
  it.each([
    ['fill', 'Avg fill price $64,250.1'],
    ['bankruptcy', 'Bankruptcy price $64,250.1'],
    ['order', 'Order price $64,250.1'],
  ] as const)('%s price in every renderer', (kind, label) => {
    for (const [medium, text] of Object.entries(everywhere([single(kind)]))) {
      const [name, value] = label.split(' $');
      if (medium === 'discord') expect(text, medium).toContain(`${name}: $${value}`);
      else expect(text, medium).toContain(label);
      expect(text, medium).not.toMatch(/^Price /m);
    }
  });

  it('takes the labels from the wording', () => {
    const custom = createFormatter(formatSchema.parse({ wording: { bankruptcyPrice: 'Prix de faillite' } }));
    expect(custom.plain([single('bankruptcy')])).toContain('Prix de faillite $64,250.1');
  });
});

describe('skulls above $1M', () => {
  it('tell $1.4M from $8.35M: one ☠️ per $1M, then one 💀 per $100k of the rest', () => {
    const headline = (usd: number) => formatter.plain([{ ...single('fill'), events: [liq({ usd })] }]).split('\n')[0];
    expect(headline(1_400_000)).toMatch(/ \$1\.4M ☠️💀💀💀💀$/);
    expect(headline(8_350_000)).toMatch(/ \$8\.35M ☠️☠️☠️☠️☠️☠️☠️☠️💀💀💀$/);
    expect(headline(650_000)).toMatch(/ \$650K 💀💀💀💀💀💀$/);
  });

  it('caps the large ones, without small ones that would mislead, and can be configured or turned off', () => {
    const options = { emoji: '💀', step: 100_000, max: 10, large: { emoji: '🔥', step: 1_000_000, max: 10 } };
    expect(skulls(1_000_000, options)).toBe('🔥');
    expect(skulls(10_900_000, options)).toBe('🔥'.repeat(10) + '💀'.repeat(9));
    expect(skulls(25_000_000, options)).toBe('🔥'.repeat(10));
    expect(skulls(2_500_000, { ...options, large: { ...options.large, max: 0 } })).toBe('💀'.repeat(10));
    const custom = createFormatter(formatSchema.parse({ skull: { large: { emoji: '🔥', step: '5M', max: 3 } } }));
    expect(custom.plain([{ ...single('fill'), events: [liq({ usd: 12_300_000 })] }]).split('\n')[0]).toMatch(new RegExp(` 🔥🔥${'💀'.repeat(10)}$`, 'u'));
  });
});

describe('a cascade shows its price range', () => {
  const events = [
    liq({ price: 64_010, time: T0, usd: 900_000 }),
    liq({ price: 63_800, time: T0 + 10_000, usd: 700_000 }),
    liq({ price: 63_205, time: T0 + 30_000, usd: 600_000 }),
  ];

  it('from the first to the last price, with the % move, in every renderer', () => {
    for (const [medium, text] of Object.entries(everywhere([cascadeOf(events)]))) {
      expect(text, medium).toContain(medium === 'discord' ? 'Avg fill price: $64,010 → $63,205 (-1.26%)' : 'Avg fill price $64,010 → $63,205 (-1.26%)');
    }
  });

  it('orders by exchange time, uses the rule’s first and last price when given, and says "Price" for mixed kinds', () => {
    const shuffled = [events[2]!, events[0]!, liq({ price: 63_900, time: T0 + 5_000, priceKind: 'bankruptcy', exchange: 'bybit' })];
    expect(formatter.plain([cascadeOf(shuffled)])).toContain('\nPrice $64,010 → $63,205 (-1.26%)\n');
    expect(formatter.plain([cascadeOf(events, { firstPrice: 60_000, lastPrice: 66_000 })])).toContain('Avg fill price $60,000 → $66,000 (+10.00%)');
  });

  it('shows no range for a cascade over several coins, whose prices do not compare', () => {
    const mixed = cascadeOf([liq({ base: 'BTC', time: T0 }), liq({ base: 'DOGE', price: 0.12, time: T0 + 1 })], { key: { side: 'long' } });
    expect(formatter.plain([mixed])).not.toContain('→');
  });
});

describe('totals from a sampled feed', () => {
  const cascade = cascadeOf([liq({ time: T0 }), liq({ time: T0 + 1 })]);
  const folded: Alert = { kind: 'liquidation', rule: 'f', events: [liq({ usd: 300_000 }), liq()], folded: { count: 1, notionalUsd: 100_000 }, createdAt: T0 };

  it('say so once per message, however many alerts it merges, in every renderer', () => {
    for (const [medium, text] of Object.entries(everywhere([cascade, folded, cascade]))) {
      expect(text.split(SAMPLED).length - 1, medium).toBe(1);
    }
    expect(formatter.plain([cascade, folded]).endsWith(`\n\n${SAMPLED}`)).toBe(true);
    expect(formatter.discord([cascade]).content).toBe(SAMPLED.replace(':', '\\:'));
  });

  it('are not claimed for a single liquidation or for feeds that are complete', () => {
    const complete = cascadeOf([liq({ time: T0, sampled: false, exchange: 'bybit' }), liq({ time: T0 + 1, sampled: false, exchange: 'bybit' })]);
    for (const alerts of [[single('fill')], [complete]]) {
      for (const [medium, text] of Object.entries(everywhere(alerts))) expect(text, medium).not.toContain('lower bound');
    }
    expect(formatter.discord([complete]).content).toBeUndefined();
  });

  it('name every sampled exchange once', () => {
    const okx = cascadeOf([liq({ exchange: 'okx', time: T0 }), liq({ exchange: 'okx', time: T0 + 1 })]);
    expect(formatter.plain([cascade, okx])).toContain('\n\nBINANCE, OKX: only a sample of liquidations is reported, so totals are a lower bound');
  });
});

describe('docs/delivery.md', () => {
  it('shows the cascade example as the formatter writes it', () => {
    const docs = readFileSync(new URL('../../../../docs/delivery.md', import.meta.url), 'utf8');
    const example: CascadeAlert = {
      ...cascadeOf([liq({ price: 64_010, time: T0 - 55_000 }), liq({ price: 63_205, time: T0 + 2_000, exchange: 'bybit', priceKind: 'bankruptcy', sampled: false })]),
      count: 37,
      totalUsd: 4_213_000,
      byExchange: { bybit: { count: 12, notionalUsd: 1_100_000 }, binance: { count: 25, notionalUsd: 3_113_000 } },
      largest: liq({ usd: 820_000, price: 64_010 }),
      firstTime: T0 - 55_000,
      lastTime: T0 + 2_000,
      firstPrice: 64_010, // the whole cascade's range, as the rules give it on an update
      lastPrice: 63_205,
      sinceLastReport: { count: 12, notionalUsd: 3_100_000, sinceMs: 60_000 },
    };
    const text = formatter.plain([example]);
    expect(docs).toContain(`\n\`\`\`\n${text}\n\`\`\`\n`);
    expect(docs).toContain(`\n\`\`\`\n${formatter.plain([{ kind: 'liquidation', rule: 'r', events: [liq({ usd: 1_250_000, price: 64_250.1, quantity: 19.455 })], createdAt: T0 }])}\n\`\`\`\n`);
  });
});
