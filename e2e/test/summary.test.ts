/**
 * Summary alerts through the built CLI: `liqmon replay` drives a daily summary from the recorded clock
 * (test/fixtures/summary.ndjson spans 2025-10-01 08:00 to 2025-10-03 00:00:10 UTC, so two days end
 * inside it), the console sink prints each as a JSON line, and `liqmon validate` shows the rule.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { liqmonRun } from './cli.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
/** 2025-10-01T00:00:00Z */
const DAY1 = Date.UTC(2025, 9, 1);
const DAY = 86_400_000;

interface Line {
  rule: string;
  kind: string;
  createdAt: number;
  events: { notionalUsd: number }[];
  countedFrom?: number;
  stats?: {
    since: number;
    until: number;
    count: number;
    totalUsd: number;
    sides: { long: { totalUsd: number }; short: { totalUsd: number } };
    groups: { key: string; share: number }[];
    top: { base: string; totalUsd: number }[];
    sampledExchanges: string[];
  };
}

describe('summary alerts', () => {
  it('replay prints one summary per day ended in the recording, at its recorded time, after the alerts of that day', async () => {
    const { code, stdout, stderr } = await liqmonRun(['replay', fixture('summary.ndjson'), '-c', fixture('replay-summary.yaml')]);
    expect(code, stderr).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Line);
    expect(lines.map((l) => [l.rule, l.kind, new Date(l.createdAt).toISOString()])).toEqual([
      ['whales', 'liquidation', '2025-10-01T18:00:00.040Z'], // the clock of a replay is the receive time
      ['daily', 'summary', '2025-10-02T00:00:05.000Z'],
      ['daily', 'summary', '2025-10-03T00:00:05.000Z'],
    ]);
    const [, first, second] = lines;
    // Day 1: every liquidation, the whale the rule above owns included, and the SOL one of 23:59:58
    // reported after midnight; counted from the recording's start.
    expect(first).toMatchObject({ events: [], countedFrom: DAY1 + 8 * 3_600_000 + 40 });
    expect(first!.stats).toMatchObject({
      since: DAY1,
      until: DAY1 + DAY,
      count: 4,
      totalUsd: 2_400_000,
      sides: { long: { totalUsd: 2_200_000 }, short: { totalUsd: 200_000 } },
      groups: [
        { key: 'bybit', share: 1_700_000 / 2_400_000 },
        { key: 'binance', share: 700_000 / 2_400_000 },
      ],
      top: [
        { base: 'BTC', totalUsd: 2_100_000 },
        { base: 'ETH', totalUsd: 200_000 },
        { base: 'SOL', totalUsd: 100_000 },
      ],
      sampledExchanges: ['binance'],
    });
    expect(second).not.toHaveProperty('countedFrom');
    expect(second!.stats).toMatchObject({ since: DAY1 + DAY, until: DAY1 + 2 * DAY, count: 2, totalUsd: 350_000 });
  });

  it('replay shows a chat sink the summary as its reader would see it', async () => {
    const { code, stdout } = await liqmonRun(['replay', fixture('summary.ndjson'), '-c', fixture('replay-summary-pretty.yaml')]);
    expect(code).toBe(0);
    expect(stdout).toContain(
      [
        '📊 24h: $2.4M liquidated, 92% longs',
        'BYBIT 71%, BINANCE 29%',
        'Top BTC $2.1M, ETH $200K, SOL $100K',
        '4 liquidations · Longs $2.2M · Shorts $200K',
        'Sizes min $100K · median $400K · average $600K · max $1.5M',
        '2025-10-01 00:00–2025-10-02 00:00 UTC',
        'counted from 2025-10-01 08:00 UTC',
        '',
        'BINANCE: only a sample of liquidations is reported, so totals are a lower bound',
      ].join('\n'),
    );
  });

  it('validate shows the summary rule and when it sends', async () => {
    const { code, stdout } = await liqmonRun(['validate', '-c', fixture('replay-summary.yaml')]);
    expect(code).toBe(0);
    expect(stdout).toContain('  daily: summary every 24h at 00:00 UTC, top 3 -> out\n');
    expect(stdout).toContain('  whales: >= $1M -> out\n');
    expect(stdout).not.toContain('never reached');
  });
});
