import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cleanEnv, liqmon } from './cli.js';

const config = fileURLToPath(new URL('./fixtures/toy.yaml', import.meta.url));

describe('example plugins through the built CLI', () => {
  it('a toy source loaded by package name and a toy sink loaded by path deliver alerts', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'liqmon-toy-')), 'alerts.txt');
    const run = liqmon(['start', '-c', config], { env: cleanEnv({ TOY_ALERTS_FILE: out }) });
    await run.waitFor('"symbol":"ETHUSDT"');
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    // The script: BTC long $100k, ETH short $120k, DOGE long $10k: two pass `minUsd: 100k`.
    const lines = run
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { rule: string; events: { symbol: string; source: string }[] });
    expect(lines.map((l) => l.events[0]?.symbol)).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(lines.every((l) => l.rule === 'big' && l.events[0]?.source === 'toy')).toBe(true);
    const file = await readFile(out, 'utf8');
    expect(file).toContain('BTCUSDT');
    expect(file).toContain('ETHUSDT');
    expect(file).not.toContain('DOGEUSDT');
  });
});
