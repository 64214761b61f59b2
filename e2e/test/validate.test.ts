import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, liqmonRun } from './cli.js';

describe('liqmon validate', () => {
  it('accepts the shipped example config without any secret set, and says which sinks are off', async () => {
    const { code, stdout } = await liqmonRun(['validate', '-c', 'config.example.yaml']);
    expect(code).toBe(0);
    expect(stdout).toContain('is valid');
    expect(stdout).toMatch(/telegram \(telegram\) OFF: .*TELEGRAM_BOT_TOKEN/);
    expect(stdout).toMatch(/discord \(discord\) OFF: .*DISCORD_WEBHOOK_URL/);
    expect(stdout).toMatch(/binance \(binance\)\n/);
    expect(stdout).toContain('majors:');
  });

  it('reports every mistake of a broken config with its line, a did-you-mean, and exits 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'liqmon-validate-'));
    const file = join(dir, 'liqmon.config.yaml');
    await writeFile(
      file,
      [
        'sources:', //                                  1
        '  binance: { use: binance, market: [usdm] }', // 2  misspelt option (markets)
        'sinks:', //                                    3
        '  console: { use: console, format: fancy }', //  4  bad enum value
        'rules:', //                                    5
        '  - name: majors', //                          6
        '    minUsd: lots', //                          7  not an amount
        '    to: [consol]', //                          8  unknown sink
        '  - name: rest', //                            9
        '    minUSD: 500k', //                          10 misspelt key
        '    to: [console]', //                         11
      ].join('\n'),
    );
    const { code, stderr } = await liqmonRun(['validate', '-c', file], { env: cleanEnv() });
    expect(code).toBe(2);
    expect(stderr).toMatch(/liqmon\.config\.yaml:2:\d+\s+sources\.binance\.market/);
    expect(stderr).toMatch(/markets/);
    expect(stderr).toMatch(/:4:\d+\s+sinks\.console\.format/);
    expect(stderr).toMatch(/:7:\d+\s+rules\[0\]\.minUsd/);
    expect(stderr).toMatch(/:8:\d+\s+rules\[0\]\.to/);
    expect(stderr).toMatch(/console/);
    expect(stderr).toMatch(/:10:\d+\s+rules\[1\]\.minUSD/);
    expect(stderr).toMatch(/minUsd/);
  });

  it('exits 2 with a hint when no config can be found', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'liqmon-empty-'));
    const { code, stderr } = await liqmonRun(['validate'], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toContain('liqmon init');
  });
});
