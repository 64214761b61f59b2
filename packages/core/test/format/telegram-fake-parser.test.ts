/**
 * Core's Telegram renderers against the fake Bot API's parsers (which replay Telegram's own parser
 * vectors): whatever the symbols, prices and wording, the markup parses, reads exactly as the plain
 * rendering, `telegramTextLength` counts what Telegram counts, and no single alert exceeds the limit.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alert.js';
import { formatSchema } from '../../src/config/schema.js';
import {
  createFormatter,
  renderPlain,
  renderTelegramHtml,
  renderTelegramMarkdownV2,
  TELEGRAM_MESSAGE_LIMIT,
  telegramTextLength,
  type FormattedAlert,
} from '../../src/format/index.js';
import { clipToTelegramLimit } from '../../src/format/render-telegram.js';
import { parseMarkdownV2, parseTelegramHtml } from '../../src/testing/index.js';
import { liq } from '../rules/liquidations.js';

const HOSTILE_SYMBOLS = ['1000PEPEUSDT', 'BTCUSDT_251226', '币安人生USDT', 'a.b-c!d#e|f\\g[h](i)', '*_~`>|', '<b>&amp;</b>', '🏟USDT', 'x\\'];
const symbolish = fc.oneof(
  fc.constantFrom(...HOSTILE_SYMBOLS),
  fc.string({ unit: fc.constantFrom(...'_*[]()~`>#+-=|{}.!\\<&" aZ09😀é€币'.split('')), minLength: 1, maxLength: 24 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
);
const price = fc.oneof(fc.constantFrom(0.0000123, 0.012345, 64_250.1, 1e-9, 123_456_789.5), fc.double({ min: 1e-12, max: 1e9, noNaN: true }));

const alertOf = (fields: { symbol: string; base: string; exchange: string; price: number; usd: number; side: 'long' | 'short' }): Alert => ({
  kind: 'liquidation',
  rule: 'r',
  events: [liq(fields)],
  createdAt: 0,
});

const event = fc.record({
  symbol: symbolish,
  base: symbolish,
  exchange: symbolish,
  side: fc.constantFrom('long' as const, 'short' as const),
  price,
  usd: fc.double({ min: 0, max: 5e9, noNaN: true }),
});

describe('renderers against the fake Bot API parsers', () => {
  it('hostile symbols and prices: MarkdownV2 and HTML parse, read as plain text, and measure what Telegram counts', () => {
    const formatter = createFormatter();
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 5 }), (events) => {
        const alerts = events.map(alertOf);
        const plain = formatter.plain(alerts);
        const md = parseMarkdownV2(formatter.telegramMarkdownV2(alerts));
        expect(md.text).toBe(plain);
        expect(md.entities.every((entity) => entity.type === 'bold')).toBe(true);
        expect(telegramTextLength(formatter.telegramMarkdownV2(alerts), 'MarkdownV2')).toBe(md.text.length);
        const html = parseTelegramHtml(formatter.telegramHtml(alerts));
        expect(html).toEqual(md);
        expect(telegramTextLength(formatter.telegramHtml(alerts), 'HTML')).toBe(html.text.length);
      }),
      { numRuns: 400 },
    );
  });

  it('the bold headline covers exactly the exchange tag and title', () => {
    const formatter = createFormatter();
    const alert = alertOf({ symbol: 'BTCUSDT_251226', base: 'BTC', exchange: 'binance', price: 0.0000123, usd: 1_250_000, side: 'long' });
    const parsed = parseMarkdownV2(formatter.telegramMarkdownV2([alert]));
    const [bold] = parsed.entities;
    expect(parsed.text.slice(bold!.offset, bold!.offset + bold!.length)).toBe('BINANCE BTCUSDT_251226 Long liquidated $1.25M');
    expect(parsed.text).toContain('Avg fill price $0.0000123');
  });

  it('user wording with markup characters comes through literally', () => {
    const format = formatSchema.parse({ wording: { long: 'Long *rekt* (x_x)!', price: '#Price|', more: 'more...' }, coinEmoji: { BTC: '[B]' } });
    const formatter = createFormatter(format);
    const alert = alertOf({ symbol: 'BTCUSDT', base: 'BTC', exchange: 'binance', price: 64_250.1, usd: 250_000, side: 'long' });
    const plain = formatter.plain([alert]);
    expect(plain).toContain('Long *rekt* (x_x)!');
    expect(parseMarkdownV2(formatter.telegramMarkdownV2([alert])).text).toBe(plain);
    expect(parseTelegramHtml(formatter.telegramHtml([alert])).text).toBe(plain);
  });
});

const long = (unit: string, n: number) => unit.repeat(n);
const bigAlert = (overrides: Partial<FormattedAlert>): FormattedAlert => ({
  kind: 'liquidation',
  rule: 'r',
  emoji: '🟠',
  tag: 'BINANCE',
  title: 'BTCUSDT Long liquidated $1.25M',
  skulls: '💀💀',
  lines: ['Price $64,250.1 · 19.455 BTC · 12:34:56 UTC'],
  fields: [],
  notes: [],
  time: 0,
  ...overrides,
});

describe('a single alert longer than Telegram allows', () => {
  it.each([
    ['a huge title', { title: long('.', 5000) }],
    ['many lines', { lines: Array.from({ length: 400 }, (_, i) => `line ${i}: a.b-c!`) }],
    ['a huge line of emoji', { lines: [long('💀', 3000)] }],
    ['huge skulls', { skulls: long('💀', 2100) }],
  ])('%s is cut to fit, still valid markup, ending in an ellipsis', (_name, overrides) => {
    const alert = bigAlert(overrides);
    expect(renderPlain([alert]).length).toBeGreaterThan(TELEGRAM_MESSAGE_LIMIT);
    for (const [render, parse, mode] of [
      [renderTelegramMarkdownV2, parseMarkdownV2, 'MarkdownV2'],
      [renderTelegramHtml, parseTelegramHtml, 'HTML'],
    ] as const) {
      const markup = render([alert]);
      const parsed = parse(markup);
      expect(parsed.text.length).toBeLessThanOrEqual(TELEGRAM_MESSAGE_LIMIT);
      expect(telegramTextLength(markup, mode)).toBeLessThanOrEqual(TELEGRAM_MESSAGE_LIMIT);
      expect(parsed.text).toContain('…');
      expect(parsed.text.startsWith('🟠 BINANCE')).toBe(true);
      expect(parsed.text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/); // no split surrogate pair
    }
  });

  it('an exact fit of whole parts still leaves room for the ellipsis (found by the property below)', () => {
    const alert = bigAlert({ emoji: '🟠', tag: 'BINANCE', title: '  '.repeat(5), skulls: '💀💀', lines: [] });
    expect(renderPlain([clipToTelegramLimit(alert, 22)]).length).toBeLessThanOrEqual(22);
  });

  it('alerts that fit are left alone', () => {
    const alert = bigAlert({});
    expect(clipToTelegramLimit(alert)).toBe(alert);
  });

  it('any oversized alert is cut to at most the limit', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 20, max: 400 }), (text, repeat, limit) => {
        const alert = bigAlert({ title: text.repeat(repeat), lines: [text, text.repeat(repeat)] });
        expect(renderPlain([clipToTelegramLimit(alert, limit)]).length).toBeLessThanOrEqual(limit);
      }),
      { numRuns: 2000 },
    );
  });
});
