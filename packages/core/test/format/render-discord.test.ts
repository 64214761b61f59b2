import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Alert, CascadeAlert } from '../../src/alert.js';
import { formatSchema } from '../../src/config/schema.js';
import { createFormatter } from '../../src/format/index.js';
import {
  clipDiscord,
  codePointLength,
  DISCORD_LIMITS,
  discordMessageLength,
  type DiscordMessage,
} from '../../src/format/render-discord.js';
import { liq, T0 } from '../rules/liquidations.js';

const formatter = createFormatter();
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Every Discord limit, counted in code points as Discord counts them; returns the broken ones. */
function broken(message: DiscordMessage): string[] {
  const problems: string[] = [];
  const check = (what: string, text: string | undefined, max: number) => {
    if (text !== undefined && codePointLength(text) > max) problems.push(`${what} has ${codePointLength(text)} > ${max}`);
  };
  if (message.embeds.length > DISCORD_LIMITS.embeds) problems.push(`${message.embeds.length} embeds`);
  message.embeds.forEach((embed, i) => {
    check(`embeds[${i}].title`, embed.title, DISCORD_LIMITS.title);
    check(`embeds[${i}].description`, embed.description, DISCORD_LIMITS.description);
    check(`embeds[${i}].footer`, embed.footer?.text, DISCORD_LIMITS.footer);
    if (embed.fields.length > DISCORD_LIMITS.fields) problems.push(`embeds[${i}] has ${embed.fields.length} fields`);
    embed.fields.forEach((field, j) => {
      check(`embeds[${i}].fields[${j}].name`, field.name, DISCORD_LIMITS.fieldName);
      check(`embeds[${i}].fields[${j}].value`, field.value, DISCORD_LIMITS.fieldValue);
      if (field.name === '' || field.value === '') problems.push(`embeds[${i}].fields[${j}] is empty`);
    });
    if (Number.isNaN(Date.parse(embed.timestamp))) problems.push(`embeds[${i}].timestamp ${embed.timestamp}`);
  });
  if (discordMessageLength(message) > DISCORD_LIMITS.total) problems.push(`total ${discordMessageLength(message)}`);
  return problems;
}

describe('Discord lengths are code points', () => {
  it('counts an emoji outside the BMP as one character, as Discord does', () => {
    expect('💀'.length).toBe(2);
    expect(codePointLength('💀')).toBe(1);
    expect(codePointLength('🟠 BTC 💀💀')).toBe(8);
    expect(discordMessageLength({ embeds: [{ title: '💀'.repeat(256), color: 0, timestamp: '', fields: [] }] })).toBe(256);
  });

  it('clips without splitting a surrogate pair or an escape', () => {
    expect(clipDiscord('💀'.repeat(300), 256)).toBe(`${'💀'.repeat(255)}…`);
    expect(codePointLength(clipDiscord('💀'.repeat(300), 256))).toBe(256);
    expect(clipDiscord('ab\\_cd', 4)).toBe('ab…'); // not `ab\…`: the escape of `_` would lose its character
    expect(clipDiscord('ab\\\\cd', 5)).toBe('ab\\\\…'); // an escaped backslash is kept whole
    expect(clipDiscord('short', 10)).toBe('short');
  });

  it('clips any text to at most the limit, never leaving a lone surrogate', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.integer({ min: 1, max: 40 }), (text, max) => {
        const clipped = clipDiscord(text, max);
        expect(codePointLength(clipped)).toBeLessThanOrEqual(max);
        expect(clipped).not.toMatch(LONE_SURROGATE);
      }),
    );
  });
});

describe('Discord embeds', () => {
  it('shows a liquidation with exchange, price, size and time fields, coloured by side, with an ISO timestamp', () => {
    const alert: Alert = { kind: 'liquidation', rule: 'majors', events: [liq({ usd: 1_250_000, price: 64_250.1, quantity: 19.455 })], createdAt: T0 };
    const [embed] = formatter.discord([alert]).embeds;
    expect(embed).toEqual({
      title: '🟠 BINANCE BTCUSDT Long liquidated $1.25M',
      description: '☠️💀💀',
      color: 0xe74c3c,
      timestamp: '2024-06-01T12:34:56.000Z',
      fields: [
        { name: 'Exchange', value: 'BINANCE', inline: true },
        { name: 'Avg fill price', value: '$64,250.1', inline: true },
        { name: 'Size', value: '19.455 BTC', inline: true },
        { name: 'Time', value: '12\\:34\\:56 UTC', inline: true },
      ],
      footer: { text: 'rule majors' },
    });
    const short: Alert = { ...alert, events: [liq({ side: 'short' })] };
    expect(formatter.discord([short]).embeds[0]?.color).toBe(0x2ecc71);
  });

  it('keeps every limit with absurd symbols, wording and many exchanges', () => {
    const long = 'X_'.repeat(2000);
    const huge = createFormatter(
      formatSchema.parse({ wording: { long: '💀'.repeat(3000), price: long, fillPrice: long, size: long, time: long, sampled: long }, exchangeTags: { binance: long } }),
    );
    const byExchange = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`ex${i}${'y'.repeat(900)}`, { count: i + 1, notionalUsd: 1e6 }]));
    const cascade: CascadeAlert = {
      kind: 'cascade',
      rule: 'r'.repeat(5000),
      events: [],
      createdAt: T0,
      key: { base: long, side: 'long' },
      windowMs: 60_000,
      count: 40,
      totalUsd: 4e7,
      byExchange,
      largest: liq({ symbol: long }),
      firstTime: T0,
      lastTime: T0 + 1,
      sinceLastReport: { count: 3, notionalUsd: 1e6, sinceMs: 60_000 },
    };
    const single: Alert = { kind: 'liquidation', rule: long, events: [liq({ symbol: long, base: long })], createdAt: T0 };
    for (const alerts of [[cascade], [single], Array.from({ length: 10 }, () => single), Array.from({ length: 14 }, () => cascade)]) {
      expect(broken(huge.discord(alerts))).toEqual([]);
    }
  });

  it('keeps every limit for any wording and symbols (property)', () => {
    const text = fc.string({ unit: fc.constantFrom('a', '_', '\\', '💀', 'é', '*', ' ', '🟠'), maxLength: 400 });
    fc.assert(
      fc.property(text, text, fc.integer({ min: 1, max: 12 }), (word, symbol, count) => {
        const f = createFormatter(formatSchema.parse({ wording: { long: word, price: word }, skull: { emoji: word || 'x', step: 1, max: 10 } }));
        const alert: Alert = { kind: 'liquidation', rule: symbol || 'r', events: [liq({ symbol, usd: 1e6 })], createdAt: T0 };
        expect(broken(f.discord(Array.from({ length: count }, () => alert)))).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
});
