import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alert.js';
import {
  createFormatter,
  escapeDiscord,
  escapeMarkdownV2,
  escapeTelegramHtml,
  renderPlain,
  renderTelegramHtml,
  renderTelegramMarkdownV2,
  telegramTextLength,
  type FormattedAlert,
} from '../../src/format/index.js';
import { liq } from '../rules/liquidations.js';
import { MarkupError, parseMarkdownV2, parseTelegramHtml } from './markup-parsers.js';

/** Strings rich in the characters that break markup, mixed with letters, digits, emoji and non-ASCII. */
const nasty = fc.string({ unit: fc.constantFrom(...'_*[]()~`>#+-=|{}.!\\<&"\' aZ09😀é€\n\t'.split('')), maxLength: 40 });
const anyText = fc.oneof(nasty, fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }));

describe('the reference MarkdownV2 parser is strict', () => {
  it.each(['1.5', 'a!', '#BTC', 'x|y', 'a\\é', '*open', 'BTCUSDT_251226', '(x)'])('rejects %j', (text) => {
    expect(() => parseMarkdownV2(text)).toThrow(MarkupError);
  });
});

describe('MarkdownV2 escaping', () => {
  it('escapes symbols, prices, signs and brackets as Telegram requires', () => {
    expect(escapeMarkdownV2('BTCUSDT_251226 at $64,250.1 (-3.5%) [#1] +1000PEPEUSDT! a|b {x} =y~ `z` >q \\')).toBe(
      'BTCUSDT\\_251226 at $64,250\\.1 \\(\\-3\\.5%\\) \\[\\#1\\] \\+1000PEPEUSDT\\! a\\|b \\{x\\} \\=y\\~ \\`z\\` \\>q \\\\',
    );
  });

  it('round-trips any text through the parser unchanged, with no entities', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(parseMarkdownV2(escapeMarkdownV2(text))).toEqual({ text, entities: [] });
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps bold exactly around escaped text', () => {
    fc.assert(
      fc.property(anyText.filter((t) => t.length > 0), anyText, (strong, rest) => {
        const parsed = parseMarkdownV2(`*${escapeMarkdownV2(strong)}*${escapeMarkdownV2(rest)}`);
        expect(parsed).toEqual({ text: strong + rest, entities: [{ type: 'bold', offset: 0, length: strong.length }] });
      }),
    );
  });
});

const formattedAlert: fc.Arbitrary<FormattedAlert> = fc.record({
  kind: fc.constantFrom('liquidation' as const, 'cascade' as const, 'digest' as const),
  rule: anyText,
  emoji: anyText,
  tag: anyText,
  title: anyText,
  skulls: anyText,
  lines: fc.array(anyText, { maxLength: 4 }),
  fields: fc.constant([]),
  notes: fc.constant([]),
  time: fc.integer({ min: 0, max: 4e12 }),
});

describe('Telegram renderers show exactly the plain text', () => {
  it('MarkdownV2: any formatted alerts parse, and read as the plain rendering', () => {
    fc.assert(
      fc.property(fc.array(formattedAlert, { minLength: 1, maxLength: 3 }), (alerts) => {
        const parsed = parseMarkdownV2(renderTelegramMarkdownV2(alerts));
        expect(parsed.text).toBe(renderPlain(alerts));
        expect(parsed.entities.every((entity) => entity.type === 'bold')).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('HTML: any formatted alerts parse, and read as the plain rendering', () => {
    fc.assert(
      fc.property(fc.array(formattedAlert, { minLength: 1, maxLength: 3 }), (alerts) => {
        expect(parseTelegramHtml(renderTelegramHtml(alerts)).text).toBe(renderPlain(alerts));
      }),
      { numRuns: 500 },
    );
  });

  it('real alerts with arbitrary symbols, names and prices render to valid MarkdownV2 and HTML', () => {
    const formatter = createFormatter();
    const event = fc.record({
      symbol: anyText,
      base: anyText,
      exchange: anyText,
      side: fc.constantFrom('long' as const, 'short' as const),
      price: fc.double({ min: 1e-12, max: 1e9, noNaN: true }),
      usd: fc.double({ min: 0, max: 5e9, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 4 }), (events) => {
        const alerts: Alert[] = events.map((fields) => ({ kind: 'liquidation', rule: 'r', events: [liq(fields)], createdAt: 0 }));
        const plain = formatter.plain(alerts);
        const md = formatter.telegramMarkdownV2(alerts);
        expect(parseMarkdownV2(md).text).toBe(plain);
        expect(telegramTextLength(md, 'MarkdownV2')).toBe(plain.length);
        const html = formatter.telegramHtml(alerts);
        expect(parseTelegramHtml(html).text).toBe(plain);
        expect(telegramTextLength(html, 'HTML')).toBe(plain.length);
      }),
      { numRuns: 300 },
    );
  });
});

describe('HTML and Discord escaping', () => {
  it('escapes <, > and & for Telegram HTML', () => {
    expect(escapeTelegramHtml('a<b> & "c"')).toBe('a&lt;b&gt; &amp; &quot;c&quot;');
  });

  it('escapes Discord markdown so symbols stay literal', () => {
    expect(escapeDiscord('BTCUSDT_251226 *x* ~y~ `z` |s| >q #h -l [a](b) <@1> :skull: \\')).toBe(
      'BTCUSDT\\_251226 \\*x\\* \\~y\\~ \\`z\\` \\|s\\| \\>q \\#h \\-l \\[a\\]\\(b\\) \\<@1\\> \\:skull\\: \\\\',
    );
  });
});
