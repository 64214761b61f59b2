import { describe, expect, it } from 'vitest';
import { frameLine, liquidationLine, parseRecordingLine } from '../../src/replay/recording.js';
import type { Liquidation } from '../../src/liquidation.js';
import { sampleLiquidation } from '../../src/sample.js';

const event: Liquidation = sampleLiquidation({
  id: 'binance:usdm:BTCUSDT:1625030771359:SELL:0.029:34738.38',
  price: 34738.38,
  quantity: 0.029,
  notionalUsd: 1007.41,
  time: 1625030771359,
  receivedAt: 1625030771400,
  source: 'binance',
});

describe('recording format', () => {
  it('round-trips a raw frame verbatim, non-ASCII included', () => {
    const data = '{"e":"forceOrder","o":{"s":"币安人生USDT","S":"SELL"}}';
    const line = frameLine({ channel: 'usdm', data, receivedAt: 1 }, 'binance', 'binance');
    expect(parseRecordingLine(line)).toEqual([
      { type: 'frame', v: 1, source: 'binance', use: 'binance', channel: 'usdm', data, receivedAt: 1 },
    ]);
  });

  it('reads liquidation lines, bare events and console json alert lines', () => {
    expect(parseRecordingLine(liquidationLine(event))).toEqual([{ type: 'liquidation', event }]);
    expect(parseRecordingLine(JSON.stringify(event))).toEqual([{ type: 'liquidation', event }]);
    const alert = { rule: 'majors', kind: 'liquidation', events: [event, event] };
    expect(parseRecordingLine(JSON.stringify(alert))).toHaveLength(2);
  });

  it('says what is wrong with a bad line', () => {
    expect(() => parseRecordingLine('nope')).toThrow(SyntaxError);
    expect(() => parseRecordingLine('{"type":"frame","source":"b"}')).toThrow(/channel/);
    expect(() => parseRecordingLine(JSON.stringify({ ...event, side: 'buy' }))).toThrow(/side must be long or short/);
    expect(() => parseRecordingLine(JSON.stringify({ ...event, price: 'x' }))).toThrow(/price is not a finite number/);
    const { quote: _quote, ...partial } = event;
    expect(() => parseRecordingLine(JSON.stringify(partial))).toThrow(/without quote/);
    expect(parseRecordingLine('   ')).toEqual([]);
  });
});
