import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { frameLine, sampleRecording } from '../../src/replay/recording.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'liqmon-sample-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = (text: string) => {
  const file = join(dir, 'file.ndjson');
  writeFileSync(file, text);
  return file;
};
const frame = frameLine({ channel: 'usdm', receivedAt: 1, data: '{"e":"forceOrder"}' }, 'binance', 'binance');

describe('sampleRecording', () => {
  it('finds no recording entry in raw exchange frames, and says why the first line is not one', async () => {
    const sample = await sampleRecording(write('{"e":"forceOrder","o":{"s":"BTCUSDT"}}\n\n{"topic":"allLiquidation.BTCUSDT","data":[]}\n'));
    expect(sample).toEqual({ checked: 2, readable: 0, firstProblem: { line: 1, reason: 'no "type" field, and not a liquidation object' } });
  });

  it('counts the readable lines of a recording with a bad line among them', async () => {
    const sample = await sampleRecording(write(`${frame}\nnot json\n${frame}\n`));
    expect(sample.checked).toBe(3);
    expect(sample.readable).toBe(2);
    expect(sample.firstProblem?.line).toBe(2);
  });

  it('reads at most the first N non-empty lines', async () => {
    const sample = await sampleRecording(write(`${'garbage\n'.repeat(5)}${frame}\n`), 5);
    expect(sample).toMatchObject({ checked: 5, readable: 0 });
  });

  it('checks nothing in an empty file', async () => {
    expect(await sampleRecording(write('\n\n'))).toEqual({ checked: 0, readable: 0 });
  });
});
