/**
 * Exchange text is data, never markup or control (issue 15, item 4): a symbol carrying a newline and a
 * fake second line, bidi overrides, zero-width characters, ESC/OSC and 8-bit CSI sequences reaches no
 * reader as such, through every renderer and the console sink, pretty and JSON.
 */
import { describe, expect, it } from 'vitest';
import type { Alert, CascadeAlert } from '../../src/alert.js';
import { createFormatter, readableText } from '../../src/format/index.js';
import { sanitizeText } from '../../src/format/sanitize.js';
import { createConsoleSink } from '../../src/sinks/console.js';
import { createMemoryLogger } from '../../src/testing/index.js';
import { liq, T0 } from '../rules/liquidations.js';

const INJECTED = '🚨 FAKE: exchange hacked, withdraw now';
/** Every kind of character that must not reach a reader: C0, C1, DEL, bidi controls, separators, zero-width. */
const HOSTILE_SYMBOL = `BTCUSDT\n${INJECTED}\r\u2028\u202eTDSU\u202c\u2066x\u2069\u200e\u200f\u061c\u200bB\u200c\u200d\u2060\ufeff\u001b]0;pwned\u0007\u001b[31m\u009b2J\u009d8;;x\u009c\u007f\u0000\t`;
/** The same set written independently of the implementation (newline aside: layouts use it). */
// eslint-disable-next-line no-control-regex -- finding control characters is the test
const FORBIDDEN = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]/u;

const formatter = createFormatter();
const hostile = liq({ symbol: HOSTILE_SYMBOL, base: `BTC\u202e\n${INJECTED}`, quote: 'USDT\u200b', market: 'usdm\u001b[2J', exchange: 'binance\u0085' });
const single: Alert = { kind: 'liquidation', rule: 'r', events: [hostile], createdAt: T0 };
const cascade: CascadeAlert = {
  kind: 'cascade',
  rule: 'c',
  events: [hostile, liq({ ...hostile, id: 'b', price: 63_000, time: T0 + 1 })],
  createdAt: T0,
  key: { symbol: HOSTILE_SYMBOL, exchange: 'binance\u0085', side: 'long' },
  windowMs: 60_000,
  count: 2,
  totalUsd: 200_000,
  byExchange: { 'binance\u0085': { count: 2, notionalUsd: 200_000 } },
  largest: hostile,
  firstTime: T0,
  lastTime: T0 + 1,
};

/** What a reader sees, for each medium. */
function rendered(alert: Alert): Record<string, string> {
  return {
    plain: formatter.plain([alert]),
    MarkdownV2: readableText(formatter.telegramMarkdownV2([alert]), 'MarkdownV2'),
    HTML: readableText(formatter.telegramHtml([alert]), 'HTML'),
    discord: readableText(formatter.discord([alert]), 'discord'),
    discordRaw: JSON.stringify(formatter.discord([alert])),
  };
}

describe('exchange text in rendered alerts', () => {
  it.each([
    ['a liquidation', single],
    ['a cascade', cascade],
  ])('%s: no control, bidi or zero-width character and no injected line in any renderer', (_name, alert) => {
    for (const [medium, text] of Object.entries(rendered(alert))) {
      expect(text, medium).not.toMatch(FORBIDDEN);
      for (const line of text.split('\n')) expect(line.startsWith('🚨'), `${medium}: ${line}`).toBe(false);
      expect(text, medium).toContain('\ufffd'); // neutralised visibly, not silently dropped
    }
  });

  it('renders a hostile symbol in as many lines as an honest one', () => {
    const honest = rendered({ ...single, events: [liq()] });
    for (const [medium, text] of Object.entries(rendered(single))) expect(text.split('\n').length, medium).toBe(honest[medium]!.split('\n').length);
  });

  it('replaces each unsafe character with U+FFFD and leaves other text alone', () => {
    expect(sanitizeText('BTC\nX')).toBe('BTC\ufffdX');
    expect(sanitizeText('币安人生USDT_251226')).toBe('币安人生USDT_251226');
    expect(sanitizeText(`${HOSTILE_SYMBOL}\n`)).not.toMatch(FORBIDDEN);
    expect(sanitizeText('a\nb')).not.toContain('\n');
  });
});

describe('exchange text on the console', () => {
  function printed(format: 'pretty' | 'json', alerts: readonly Alert[]): Promise<string> {
    let out = '';
    const output = { isTTY: true, write: (text: string, done: (error?: Error | null) => void) => ((out += text), done()) };
    const context = { name: 'console', logger: createMemoryLogger('debug').logger, signal: new AbortController().signal, secrets: { add() {} }, formatter };
    const sink = createConsoleSink({ format }, context, output);
    return sink.send(sink.render(alerts), 'default', new AbortController().signal).then(() => out);
  }

  it('prints pretty text without control, bidi or zero-width characters', async () => {
    const text = await printed('pretty', [single]);
    expect(text).not.toMatch(FORBIDDEN);
    expect(text.trimEnd().split('\n')).toHaveLength(2);
  });

  it('prints JSON lines whose bytes hold no such character, and whose values are the exchange text unchanged', async () => {
    const text = await printed('json', [single, cascade]);
    expect(text).not.toMatch(FORBIDDEN);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!).events[0].symbol).toBe(HOSTILE_SYMBOL);
    expect(JSON.parse(lines[1]!).key.symbol).toBe(HOSTILE_SYMBOL);
  });
});
