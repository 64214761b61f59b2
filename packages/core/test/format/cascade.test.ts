/**
 * How cascades read, from alerts the rules build: the price range of the whole cascade (issue 14,
 * item 13), on its first report and on every update; a cascade over all markets (`aggregate.by: []`,
 * issue 14, item 9) says so, and shows no coin emoji and no price range when its coins are mixed.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CascadeAlert } from '../../src/alert.js';
import { formatSchema } from '../../src/config/schema.js';
import { createFormatter, readableText } from '../../src/format/index.js';
import { engine, type RuleInput } from '../rules/harness.js';
import { liq, T0 } from '../rules/liquidations.js';

const formatter = createFormatter();

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});
afterEach(() => vi.useRealTimers());

const cascades = (alerts: ReturnType<ReturnType<typeof engine>['alerts']>) => alerts.filter((a): a is CascadeAlert => a.kind === 'cascade');
const rangeLine = (alert: CascadeAlert | undefined) => formatter.plain(alert ? [alert] : []).split('\n').find((line) => line.includes('→'));

describe('a cascade’s price range', () => {
  const rule: RuleInput = { name: 'c', aggregate: { window: '60s', by: ['base', 'side'], minUsd: '2M', minCount: 3 }, cooldown: '60s', to: ['x'] };

  it('runs from the cascade’s first liquidation to its latest, on an update too', () => {
    const { engine: e, alerts } = engine([rule]);
    for (const [i, price] of [64_010, 63_900, 63_800].entries()) e.push(liq({ usd: 1_000_000, price, time: T0 + i * 1_000 }));
    vi.advanceTimersByTime(20_000);
    e.push(liq({ usd: 500_000, price: 63_500, time: T0 + 20_000 }));
    e.push(liq({ usd: 500_000, price: 63_205, time: T0 + 21_000 }));
    vi.advanceTimersByTime(40_000);
    const [first, update] = cascades(alerts());
    expect(rangeLine(first)).toBe('Avg fill price $64,010 → $63,800 (-0.33%)');
    expect(rangeLine(update)).toBe('Avg fill price $64,010 → $63,205 (-1.26%)');
  });

  it('is not made up from an update’s new liquidations when the rule did not track the range', () => {
    const { engine: e, alerts } = engine([{ ...rule, aggregate: { window: '60s', by: ['side'], minUsd: '2M', minCount: 3 } }]);
    e.push(liq({ usd: 1_000_000, base: 'ETH', price: 3_450, time: T0 }));
    for (let i = 1; i < 3; i++) e.push(liq({ usd: 1_000_000, price: 64_010, time: T0 + i }));
    vi.advanceTimersByTime(20_000);
    e.push(liq({ usd: 500_000, price: 63_500, time: T0 + 20_000 }));
    e.push(liq({ usd: 500_000, price: 63_205, time: T0 + 21_000 }));
    vi.advanceTimersByTime(40_000);
    const [first, update] = cascades(alerts());
    expect(update?.events.map((event) => event.base)).toEqual(['BTC', 'BTC']);
    expect(rangeLine(first)).toBeUndefined();
    expect(rangeLine(update)).toBeUndefined(); // the cascade mixes ETH and BTC
  });

  it('is not shown for a cascade of one liquidation', () => {
    const { engine: e, alerts } = engine([{ ...rule, aggregate: { window: '60s', minUsd: '1M' } }]);
    e.push(liq({ usd: 1_500_000, price: 64_010 }));
    expect(cascades(alerts())).toHaveLength(1);
    expect(rangeLine(cascades(alerts())[0])).toBeUndefined();
  });
});

describe('a cascade over all markets (aggregate.by: [])', () => {
  const anywhere: RuleInput = { name: 'anywhere', aggregate: { window: '60s', by: [], minUsd: '5M' }, cooldown: '60s', to: ['x'] };
  /** The headline (Discord's readable text starts with the message's sampled-feed note). */
  const headline = (text: string) => text.split('\n').find((line) => line.includes(' cascade '));

  /** The reader's text in each medium (the console prints `plain`). */
  function everywhere(alert: CascadeAlert): Record<string, string> {
    return {
      plain: formatter.plain([alert]),
      MarkdownV2: readableText(formatter.telegramMarkdownV2([alert]), 'MarkdownV2'),
      HTML: readableText(formatter.telegramHtml([alert]), 'HTML'),
      discord: readableText(formatter.discord([alert]), 'discord'),
    };
  }

  it('says it covers all markets, with no coin emoji and no price range when the coins are mixed, in every renderer', () => {
    const { engine: e, alerts } = engine([anywhere]);
    e.push(liq({ usd: 1_500_000, base: 'ETH', time: T0 }));
    e.push(liq({ usd: 3_800_000, price: 64_010, time: T0 + 1_000, side: 'short' }));
    const [alert] = cascades(alerts());
    for (const [medium, text] of Object.entries(everywhere(alert!))) {
      expect(headline(text), medium).toMatch(/^🌊 BINANCE all markets cascade \$5\.3M( ☠️☠️☠️☠️☠️💀💀💀)?$/u); // Discord's title has no skulls
      expect(text, medium).not.toContain('→');
      expect(text, medium).not.toMatch(/[🟠🔵]/u);
    }
  });

  it('keeps the coin’s emoji and its price range when every liquidation is of one coin', () => {
    const { engine: e, alerts } = engine([anywhere]);
    e.push(liq({ usd: 2_000_000, price: 64_010, time: T0 }));
    e.push(liq({ usd: 3_000_000, price: 63_205, time: T0 + 1_000, side: 'short', exchange: 'okx' }));
    const text = formatter.plain(cascades(alerts()));
    expect(headline(text)).toBe('🟠 OKX+BINANCE all markets cascade $5M ☠️☠️☠️☠️☠️');
    expect(text).toContain('\nAvg fill price $64,010 → $63,205 (-1.26%)\n');
  });

  it('names the side when keyed by side alone, and takes its words and emoji from the config', () => {
    const { engine: e, alerts } = engine([{ ...anywhere, aggregate: { window: '60s', by: ['side'], minUsd: '1M' } }]);
    e.push(liq({ usd: 600_000, base: 'SOL', time: T0 }));
    e.push(liq({ usd: 600_000, time: T0 + 1 }));
    const [alert] = cascades(alerts());
    expect(headline(formatter.plain([alert!]))).toBe('🌊 BINANCE all markets long cascade $1.2M ☠️💀💀');
    const custom = createFormatter(formatSchema.parse({ mixedCoinEmoji: '🌐', wording: { allMarkets: 'tous marchés' } }));
    expect(headline(custom.plain([alert!]))).toBe('🌐 BINANCE tous marchés long cascade $1.2M ☠️💀💀');
  });

  it('tells mixed coins from an update whose new liquidations are all of one coin', () => {
    const { engine: e, alerts } = engine([anywhere]);
    e.push(liq({ usd: 5_000_000, base: 'ETH', time: T0 }));
    vi.advanceTimersByTime(10_000);
    e.push(liq({ usd: 500_000, time: T0 + 10_000 }));
    e.push(liq({ usd: 500_000, time: T0 + 11_000 }));
    vi.advanceTimersByTime(50_000);
    const [, update] = cascades(alerts());
    expect(update?.events.map((event) => event.base)).toEqual(['BTC', 'BTC']);
    expect(headline(formatter.plain([update!]))).toBe('🌊 BINANCE all markets cascade $6M ☠️☠️☠️☠️☠️☠️');
  });
});
