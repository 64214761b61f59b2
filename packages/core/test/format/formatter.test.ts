import { describe, expect, it } from 'vitest';
import type { Alert, CascadeAlert } from '../../src/alert.js';
import { formatSchema } from '../../src/config/schema.js';
import { compactNumber, createFormatter, formatPrice, formatUsd } from '../../src/format/index.js';
import { formatDuration, formatUtcSpan, skulls } from '../../src/format/numbers.js';
import { liq, T0 } from '../rules/liquidations.js';

const formatter = createFormatter();

const btcLong: Alert = {
  kind: 'liquidation',
  rule: 'majors',
  events: [liq({ usd: 1_250_000, price: 64_250.1, quantity: 19.455 })],
  createdAt: T0,
};

const pepeShort: Alert = {
  kind: 'liquidation',
  rule: 'memes',
  events: [
    liq({
      exchange: 'bybit',
      market: 'linear',
      symbol: '1000PEPEUSDT',
      base: '1000PEPE',
      side: 'short',
      price: 0.0123456,
      quantity: 4_236_500,
      usd: 52_300,
      time: T0 + 1_500,
    }),
  ],
  createdAt: T0,
};

const cascade: CascadeAlert = {
  kind: 'cascade',
  rule: 'btc-cascade',
  events: [],
  createdAt: T0,
  key: { base: 'BTC', side: 'long' },
  windowMs: 60_000,
  count: 37,
  totalUsd: 4_213_000,
  byExchange: { bybit: { count: 12, notionalUsd: 1_100_000 }, binance: { count: 25, notionalUsd: 3_113_000 } },
  largest: liq({ usd: 820_000, price: 64_010 }),
  firstTime: T0 - 55_000,
  lastTime: T0 + 2_000,
  sinceLastReport: { count: 12, notionalUsd: 3_100_000, sinceMs: 60_000 },
};

describe('numbers', () => {
  it.each([
    [980, '$980'],
    [52_300, '$52.3K'],
    [1_250_000, '$1.25M'],
    [2_100_000_000, '$2.1B'],
    [1_000, '$1K'],
    [12_345, '$12.3K'],
    [100_000, '$100K'],
    [999_950, '$1M'],
    [999.6, '$1K'],
    [0.52, '$0.52'],
    [0, '$0'],
  ])('formats %d USD as %s', (usd, text) => {
    expect(formatUsd(usd)).toBe(text);
  });

  it.each([
    [64_250.1, '64,250.1'],
    [64_250.123, '64,250.1'],
    [3_450.55, '3,450.55'],
    [162.42, '162.42'],
    [1.5, '1.5'],
    [0.45671234, '0.45671'],
    [0.0123456, '0.012346'],
    [0.0000123, '0.0000123'],
    [0.000000001234, '0.000000001234'],
    [123_456_789.5, '123,456,790'],
    [0, '0'],
  ])('formats the price %d as %s', (price, text) => {
    expect(formatPrice(price)).toBe(text);
  });

  it('never writes a price or an amount in exponent notation', () => {
    for (let exponent = -12; exponent <= 15; exponent++) {
      for (const mantissa of [1, 1.2345, 9.87654]) {
        const value = mantissa * 10 ** exponent;
        expect(formatPrice(value)).not.toMatch(/e/i);
        expect(compactNumber(value)).not.toMatch(/e/i);
      }
    }
  });

  it('draws one skull per step, capped', () => {
    const options = { emoji: '💀', step: 100_000, max: 10 };
    expect(skulls(99_999, options)).toBe('');
    expect(skulls(100_000, options)).toBe('💀');
    expect(skulls(340_000, options)).toBe('💀💀💀');
    expect(skulls(5e9, options)).toBe('💀'.repeat(10));
    expect(skulls(5e9, { ...options, max: 0 })).toBe('');
  });

  it('writes spans and durations briefly', () => {
    expect(formatUtcSpan(T0, T0)).toBe('12:34:56 UTC');
    expect(formatUtcSpan(T0 - 55_000, T0 + 2_000)).toBe('12:34:01–12:34:58 UTC');
    expect(formatUtcSpan(T0, T0 + 86_400_000)).toBe('12:34:56–2024-06-02 12:34:56 UTC');
    expect([800, 45_000, 60_000, 90_000, 7_200_000, 4_500_000].map(formatDuration)).toEqual(['800ms', '45s', '1m', '1m30s', '2h', '1h15m']);
  });
});

describe('formatter: plain text', () => {
  it('writes a single liquidation', () => {
    expect(formatter.plain([btcLong])).toBe(
      '🟠 BINANCE BTCUSDT Long liquidated $1.25M ☠️💀💀\nAvg fill price $64,250.1 · 19.455 BTC · 12:34:56 UTC',
    );
    expect(formatter.plain([pepeShort])).toBe('⚪ BYBIT 1000PEPEUSDT Short liquidated $52.3K\nAvg fill price $0.012346 · 4.24M 1000PEPE · 12:34:57 UTC');
  });

  it('says what a cooldown folded, with the largest as the headline', () => {
    const folded: Alert = {
      kind: 'liquidation',
      rule: 'whales',
      events: [liq({ usd: 120_000 }), liq({ usd: 900_000, price: 64_100 }), liq({ usd: 200_000 })],
      folded: { count: 2, notionalUsd: 320_000 },
      createdAt: T0,
    };
    expect(formatter.plain([folded])).toBe(
      '🟠 BINANCE BTCUSDT Long liquidated $900K 💀💀💀💀💀💀💀💀💀\nAvg fill price $64,100 · 14.0406 BTC · 12:34:56 UTC\n+2 more, $320K\n\nBINANCE: only a sample of liquidations is reported, so totals are a lower bound',
    );
  });

  it('writes a cascade update with the breakdown by exchange', () => {
    expect(formatter.plain([cascade])).toBe(
      [
        '🟠 BINANCE+BYBIT BTC long cascade $4.21M ☠️☠️☠️☠️💀💀',
        '+$3.1M more in the last 1m (12 liquidations)',
        '37 liquidations · 12:34:01–12:34:58 UTC',
        'BINANCE $3.11M (25) · BYBIT $1.1M (12)',
        'Largest $820K BINANCE BTCUSDT long at $64,010',
        '',
        'BINANCE: only a sample of liquidations is reported, so totals are a lower bound',
      ].join('\n'),
    );
  });

  it('merges several alerts into one message, separated by a blank line', () => {
    expect(formatter.plain([btcLong, pepeShort]).split('\n\n')).toHaveLength(2);
  });

  it('takes emoji, skulls, wording, tags and dates from the format config', () => {
    const custom = createFormatter(
      formatSchema.parse({
        coinEmoji: { btc: '₿', '1000PEPE': '🐸' },
        exchangeTags: { binance: 'BNB' },
        skull: { emoji: '☠️', step: '500k', max: 2, large: { max: 0 } },
        wording: { long: 'Long rekt', short: 'Short rekt' },
        showDate: true,
      }),
    );
    expect(custom.plain([btcLong])).toBe('₿ BNB BTCUSDT Long rekt $1.25M ☠️☠️\nAvg fill price $64,250.1 · 19.455 BTC · 2024-06-01 12:34:56 UTC');
    expect(custom.plain([pepeShort]).split('\n')[0]).toBe('🐸 BYBIT 1000PEPEUSDT Short rekt $52.3K');
  });
});

describe('formatter: Telegram and Discord', () => {
  it('writes MarkdownV2 with the headline in bold and every special character escaped', () => {
    const expiry: Alert = {
      kind: 'liquidation',
      rule: 'futures',
      events: [liq({ symbol: 'BTCUSDT_251226', side: 'short', usd: 210_000, price: 65_120.5 })],
      createdAt: T0,
    };
    expect(formatter.telegramMarkdownV2([expiry])).toBe(
      '🟠 *BINANCE BTCUSDT\\_251226 Short liquidated $210K* 💀💀\nAvg fill price $65,120\\.5 · 3\\.22479 BTC · 12:34:56 UTC',
    );
  });

  it('writes Telegram HTML', () => {
    expect(formatter.telegramHtml([pepeShort])).toBe(
      '⚪ <b>BYBIT 1000PEPEUSDT Short liquidated $52.3K</b>\nAvg fill price $0.012346 · 4.24M 1000PEPE · 12:34:57 UTC',
    );
  });

  it('writes a Discord embed per alert with fields, colour and time', () => {
    expect(formatter.discord([cascade])).toEqual({
      content: 'BINANCE\\: only a sample of liquidations is reported, so totals are a lower bound',
      embeds: [
        {
          title: '🟠 BINANCE+BYBIT BTC long cascade $4.21M',
          description: '☠️☠️☠️☠️💀💀\n+$3.1M more in the last 1m \\(12 liquidations\\)',
          color: 0xe74c3c,
          timestamp: '2024-06-01T12:34:58.000Z',
          fields: [
            { name: 'Liquidations', value: '37', inline: true },
            { name: 'Time', value: '12\\:34\\:01–12\\:34\\:58 UTC', inline: true },
            { name: 'Largest', value: '$820K BINANCE BTCUSDT long at $64,010', inline: false },
            { name: 'BINANCE', value: '$3.11M \\(25\\)', inline: true },
            { name: 'BYBIT', value: '$1.1M \\(12\\)', inline: true },
          ],
          footer: { text: 'rule btc-cascade' },
        },
      ],
    });
  });

  it('keeps to 10 embeds, listing the rest in the last one', () => {
    const many = Array.from({ length: 13 }, () => btcLong);
    const message = formatter.discord(many);
    expect(message.embeds).toHaveLength(10);
    expect(message.embeds[9]?.title).toBe('+4 more alerts');
  });
});
