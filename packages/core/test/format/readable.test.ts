/**
 * `readableText`: a rendered message as its reader sees it (issue 14, item 15), for `replay` and
 * `--dry-run` previews: `$57.6K`, not `$57\.6K`.
 */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alert.js';
import { createFormatter, readableText } from '../../src/format/index.js';
import { liq, T0 } from '../rules/liquidations.js';

const formatter = createFormatter();
const alert: Alert = { kind: 'liquidation', rule: 'majors', events: [liq({ symbol: 'BTCUSDT_251226', usd: 57_600, price: 65_120.5 })], createdAt: T0 };
const PLAIN = '🟠 BINANCE BTCUSDT_251226 Long liquidated $57.6K\nAvg fill price $65,120.5 · 0.88451 BTC · 12:34:56 UTC';

describe('readableText', () => {
  it('resolves Telegram MarkdownV2 and HTML to the text Telegram shows', () => {
    expect(formatter.telegramMarkdownV2([alert])).toContain('$57\\.6K');
    expect(readableText(formatter.telegramMarkdownV2([alert]), 'MarkdownV2')).toBe(PLAIN);
    expect(readableText(formatter.telegramHtml([alert]), 'HTML')).toBe(PLAIN);
    expect(readableText('a &lt;b&gt; &amp; <b>c</b>', 'HTML')).toBe('a <b> & c');
  });

  it('lays out a Discord body as the client shows it, escapes resolved', () => {
    expect(readableText(formatter.discord([alert]), 'discord')).toBe(
      [
        '🟠 BINANCE BTCUSDT_251226 Long liquidated $57.6K',
        'Exchange: BINANCE',
        'Avg fill price: $65,120.5',
        'Size: 0.88451 BTC',
        'Time: 12:34:56 UTC',
        'rule majors',
      ].join('\n'),
    );
    expect(readableText({ content: 'a\\_b', embeds: [] }, 'discord')).toBe('a_b');
  });

  it('leaves plain text alone and never fails on what it cannot read', () => {
    expect(readableText(PLAIN, 'plain')).toBe(PLAIN);
    expect(readableText('unclosed *bold', 'MarkdownV2')).toBe('unclosed *bold');
    expect(readableText({ text: 'x' }, 'discord')).toBe('{\n  "text": "x"\n}');
  });
});
