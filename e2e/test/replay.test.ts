import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FAKE_TELEGRAM_TOKEN } from '@liqmon/core/testing';
import { cleanEnv, liqmonRun } from './cli.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

interface AlertLine {
  rule: string;
  kind: string;
  events: { symbol: string; side: string; notionalUsd: number }[];
}

describe('liqmon replay', () => {
  it('prints exactly the alerts the rules select, in order, and warns about an unreadable line', async () => {
    const { code, stdout, stderr } = await liqmonRun(['replay', fixture('liquidations.ndjson'), '-c', fixture('replay.yaml')]);
    expect(code).toBe(0);
    const alerts = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as AlertLine);
    expect(alerts.map((a) => [a.rule, a.kind, a.events.map((e) => `${e.symbol}:${e.side}:${e.notionalUsd}`).join()])).toEqual([
      ['majors', 'liquidation', 'BTCUSDT:long:57600'],
      ['majors', 'liquidation', 'ETHUSDT:short:51200'],
      ['everything-else', 'liquidation', '1000PEPEUSDT:long:615000'],
      ['majors', 'liquidation', 'SOLUSDT:long:450000'],
    ]);
    expect(stderr).toMatch(/liquidations\.ndjson:7: skipped/);
    expect(stderr).toMatch(/replayed \d+ lines: .*; 1 unreadable line skipped/);
  });

  it('exits 2 for a file that is not a recording (raw exchange frames), showing a recording line and how to make one', async () => {
    const { code, stdout, stderr } = await liqmonRun(['replay', fixture('binance-usdm.jsonl'), '-c', fixture('replay.yaml')]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('binance-usdm.jsonl is not a liqmon recording: none of its first 15 lines is a recording entry');
    expect(stderr).toContain('{"type":"frame","v":1,"source":"binance"');
    expect(stderr).toContain('hint: Make a recording with `liqmon record');
  });

  it("previews a sink's messages as the reader sees them; --raw shows the markup", async () => {
    const env = cleanEnv({ TELEGRAM_BOT_TOKEN: FAKE_TELEGRAM_TOKEN });
    const args = ['replay', fixture('liquidations.ndjson'), '-c', fixture('replay-telegram.yaml')];
    const text = await liqmonRun(args, { env });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('--- telegram -> -1001234567890 (not sent) ---\n🟠 BINANCE BTCUSDT Long liquidated $57.6K\n');
    expect(text.stdout).not.toContain('\\');
    const raw = await liqmonRun([...args, '--raw'], { env });
    expect(raw.code).toBe(0);
    expect(raw.stdout).toContain('$57\\.6K');
  });

  it('exits 2 with a hint for a recording that does not exist', async () => {
    const { code, stderr } = await liqmonRun(['replay', 'no-such-file.ndjson', '-c', fixture('replay.yaml')]);
    expect(code).toBe(2);
    expect(stderr).toContain('liqmon record');
  });

  it('rejects a bad --speed with exit code 2', async () => {
    const { code, stderr } = await liqmonRun(['replay', fixture('liquidations.ndjson'), '-c', fixture('replay.yaml'), '--speed', 'fast']);
    expect(code).toBe(2);
    expect(stderr).toContain('--speed');
  });
});
