/** How every markup writes a summary alert: what a reader sees, within each service's limits. */
import { describe, expect, it } from 'vitest';
import type { SummaryAlert } from '../../src/alert.js';
import { formatSchema } from '../../src/config/schema.js';
import { createFormatter, discordMessageLength, DISCORD_LIMITS, TELEGRAM_MESSAGE_LIMIT, telegramTextLength } from '../../src/format/index.js';
import { formatShare, periodLabel } from '../../src/format/summary.js';
import { HOSTILE_TEXT, sampleSummary } from '../../src/testing/sink-samples.js';
import { parseMarkdownV2, parseTelegramHtml } from '../../src/testing/index.js';

const format = createFormatter();

const PLAIN = [
  '📊 24h: $1.24B liquidated, 68% longs',
  'BINANCE 41%, BYBIT 33%, OKX 16%, BITGET 10%',
  'Top BTC $420M, ETH $310M, SOL $150M, DOGE $60M, 1000PEPE $40M',
  '96,500 liquidations · Longs $843M · Shorts $397M',
  'Sizes min $1 · median $2.15K · average $12.8K · max $12.4M',
  '2024-06-01 00:00–2024-06-02 00:00 UTC',
  '',
  'BINANCE: only a sample of liquidations is reported, so totals are a lower bound',
].join('\n');

function empty(overrides: Partial<SummaryAlert['stats']> = {}): SummaryAlert {
  const alert = sampleSummary();
  const stats = { ...alert.stats, count: 0, totalUsd: 0, groups: [], top: [], sampledExchanges: [], ...overrides };
  stats.sides = { long: { count: 0, totalUsd: 0 }, short: { count: 0, totalUsd: 0 } };
  stats.size = { min: null, max: null, average: null, median: null };
  return { ...alert, stats };
}

describe('summary alerts in words', () => {
  it('plain text (console, ntfy, webhook `text`): totals, side, exchanges, top bases, sizes, period and the sampled note', () => {
    expect(format.plain([sampleSummary()])).toBe(PLAIN);
  });

  it('Telegram HTML and MarkdownV2 read as the plain text, headline in bold, the sampled note in italics', () => {
    for (const parsed of [parseTelegramHtml(format.telegramHtml([sampleSummary()])), parseMarkdownV2(format.telegramMarkdownV2([sampleSummary()]))]) {
      expect(parsed.text).toBe(PLAIN);
      expect(parsed.entities.map((e) => [e.type, parsed.text.slice(e.offset, e.offset + e.length)])).toEqual([
        ['bold', '24h: $1.24B liquidated, 68% longs'],
        ['italic', PLAIN.split('\n').at(-1)],
      ]);
    }
  });

  it('Discord: one embed with the facts as fields, the rule in the footer, the sampled note as content', () => {
    const message = format.discord([sampleSummary()]);
    expect(message.content).toBe('BINANCE\\: only a sample of liquidations is reported, so totals are a lower bound');
    const [embed] = message.embeds;
    expect(embed!.title).toBe('📊 24h\\: $1.24B liquidated, 68% longs');
    expect(embed!.fields.map((f) => [f.name, f.value])).toEqual([
      ['Liquidations', '96,500'],
      ['Longs', '$843M \\(68%\\)'],
      ['Shorts', '$397M \\(32%\\)'],
      ['Exchanges', 'BINANCE 41%, BYBIT 33%, OKX 16%, BITGET 10%'],
      ['Top', 'BTC $420M, ETH $310M, SOL $150M, DOGE $60M, 1000PEPE $40M'],
      ['Sizes', 'min $1 · median $2.15K · average $12.8K · max $12.4M'],
      ['Period', '2024\\-06\\-01 00\\:00–2024\\-06\\-02 00\\:00 UTC'],
    ]);
    expect(embed!.footer).toEqual({ text: 'rule daily' });
    expect(embed!.timestamp).toBe('2024-06-02T00:00:00.000Z');
  });

  it('says "no liquidations" for an empty period, with the rule\'s minUsd and when counting began', () => {
    const alert = { ...empty({ minUsd: 100_000 }), countedFrom: Date.UTC(2024, 5, 1, 9, 30, 12) };
    expect(format.plain([alert])).toBe(['📊 24h: no liquidations of $100K or more', '2024-06-01 00:00–2024-06-02 00:00 UTC', 'counted from 2024-06-01 09:30 UTC'].join('\n'));
  });

  it('says which liquidations were counted when the rule has a minUsd, and the rest of the exchanges as "others"', () => {
    const alert = sampleSummary();
    alert.stats = { ...alert.stats, minUsd: 50_000 };
    alert.stats.groups = Array.from({ length: 12 }, (_, i) => ({ key: `x${i}`, count: 1, totalUsd: 1, share: 1 / 12 }));
    const lines = format.plain([alert]).split('\n');
    expect(lines[1]).toBe('X0 8.3%, X1 8.3%, X2 8.3%, X3 8.3%, X4 8.3%, X5 8.3%, X6 8.3%, X7 8.3%, X8 8.3%, X9 8.3%, others 17%');
    expect(lines[3]).toBe('96,500 liquidations of $50K or more · Longs $843M · Shorts $397M');
  });

  it('takes its words from format.wording.summary', () => {
    const options = formatSchema.parse({ wording: { summary: { liquidated: 'liquidés', longs: 'longs', emoji: '🧾' } } });
    expect(createFormatter(options).plain([sampleSummary()]).split('\n')[0]).toBe('🧾 24h: $1.24B liquidés, 68% longs');
  });

  it('names periods as a reader would and writes shares briefly', () => {
    expect([60_000, 30 * 60_000, 3_600_000, 4 * 3_600_000, 86_400_000, 7 * 86_400_000].map(periodLabel)).toEqual(['1m', '30m', '1h', '4h', '24h', '7d']);
    expect([0.68, 0.034, 0.0004, 0, 1].map(formatShare)).toEqual(['68%', '3.4%', '<0.1%', '0%', '100%']);
  });
});

describe('summary alerts within each service limit', () => {
  // Twenty bases and exchanges with the longest names a feed or a config could give.
  const huge = (): SummaryAlert => {
    const alert = sampleSummary(true);
    const name = (i: number) => `${HOSTILE_TEXT.repeat(8)}${i}`;
    alert.stats.top = Array.from({ length: 20 }, (_, i) => ({ base: name(i), count: 1, totalUsd: 1e6, share: 0.05 }));
    alert.stats.groups = Array.from({ length: 20 }, (_, i) => ({ key: name(i), count: 1, totalUsd: 1e6, share: 0.05 }));
    return alert;
  };

  it('fits a Telegram message (4096 characters after parsing) and stays valid markup', () => {
    const html = format.telegramHtml([huge()]);
    const markdown = format.telegramMarkdownV2([huge()]);
    expect(telegramTextLength(html, 'HTML')).toBeLessThanOrEqual(TELEGRAM_MESSAGE_LIMIT);
    expect(telegramTextLength(markdown, 'MarkdownV2')).toBeLessThanOrEqual(TELEGRAM_MESSAGE_LIMIT);
    expect(parseTelegramHtml(html).text).toMatch(/^📊 24h: \$1\.24B liquidated, 68% longs\n/);
    expect(parseMarkdownV2(markdown).text.length).toBeLessThanOrEqual(TELEGRAM_MESSAGE_LIMIT);
  });

  it('fits Discord: every field within 1024 and the message within 6000', () => {
    const message = format.discord([huge()]);
    for (const field of message.embeds[0]!.fields) expect(field.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
    expect(discordMessageLength(message)).toBeLessThanOrEqual(DISCORD_LIMITS.total);
  });
});
