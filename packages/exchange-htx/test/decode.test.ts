/**
 * The decoder's two ways of reading a push agree: a compact push is read in place (src/compact.ts),
 * anything else the general way. The same push with a space after its first brace is outside the
 * compact subset, so it is read the general way: both must give the same events, ids included, and
 * the same errors.
 */
import { MalformedFrameError, UnknownInstrumentError, type RawFrame } from '@liqmon/core';
import { describe, expect, it } from 'vitest';
import { decodeCompactPush } from '../src/compact.js';
import { decodeHtxFrame, type DecodeContext } from '../src/decode.js';
import { ContractBook } from '../src/instruments.js';

const contracts = new ContractBook();
contracts.load([
  { code: 'BTC-USDT', base: 'BTC', quote: 'USDT', size: 0.001 },
  { code: 'ETH-USDT', base: 'ETH', quote: 'USDT', size: 0.01 },
]);
const context: DecodeContext = { source: 'htx', contracts };

const push = (orders: string[], head = '"op":"notify","topic":"public.BTC-USDT.liquidation_orders","ts":1800000000002'): string => `{${head},"data":[${orders.join(',')}]}`;
const order = (fields: string): string => `{"symbol":"BTC","contract_code":"BTC-USDT","direction":"sell","offset":"close",${fields},"contract_type":"swap","pair":"BTC-USDT"}`;
const frame = (data: string): RawFrame => ({ channel: 'notification', data, receivedAt: 1800000000040 });
const general = (data: string): RawFrame => frame(`{ ${data.slice(1)}`);

function outcome(raw: RawFrame): unknown {
  try {
    return decodeHtxFrame(raw, context);
  } catch (error) {
    return error instanceof UnknownInstrumentError ? 'unknown instrument' : error instanceof MalformedFrameError ? 'malformed' : error;
  }
}

describe('HTX decoder: compact and general reading', () => {
  const pushes = [
    // Numbers whose text is not what String() writes (the id is built from String()): 1500.0, 1E3, 1e-7.
    push([order('"volume":1500.0,"price":60000.50,"created_at":1800000000001,"amount":1.5,"trade_turnover":90000.75')]),
    push([order('"volume":1E3,"price":1e-7,"created_at":1800000000001')]),
    // Decimal strings, kept as sent in the id; a ms time as a string.
    push([order('"volume":"1500.0","price":"60000.50","created_at":"1800000000001","amount":"1.5","trade_turnover":"90000.75"')]),
    // Two orders, the second a short on another contract; keys in another order; a key twice (the last counts).
    push([order('"volume":10,"price":61000,"created_at":1800000000005'), '{"price":2400.5,"price":2400.25,"direction":"buy","contract_code":"ETH-USDT","volume":300,"created_at":1800000000009}']),
    // "data" before "op" and "topic".
    '{"data":[{"contract_code":"BTC-USDT","direction":"buy","volume":3,"price":59000,"created_at":1800000000001}],"op":"notify","topic":"public.BTC-USDT.liquidation_orders"}',
  ];
  const refused = [
    push([order('"volume":0,"price":60000,"created_at":1800000000001')]), // malformed: volume 0
    push([order('"volume":1,"price":60000,"created_at":1800000000001,"amount":null')]), // amount null: no amount
    push([order('"volume":1,"price":60000,"created_at":1800000000001').replace('BTC-USDT"', 'NEW-USDT"')]), // unknown instrument
    push([order('"volume":1,"price":60000,"created_at":1800000000001')], '"op":"notify","topic":"public.BTC-USDT.funding_rate"'), // another topic
    `${push([order('"volume":1,"price":60000,"created_at":1800000000001')]).slice(0, -1)},"data":[]}`, // "data" twice: the last counts
  ];

  it('reads compact pushes in place, to the same events and ids as the general reading', () => {
    for (const data of pushes) {
      expect(decodeCompactPush(data, 1800000000040, context), data).toBeDefined();
      const events = outcome(frame(data));
      expect(events, data).toEqual(outcome(general(data)));
      expect((events as unknown[]).length).toBeGreaterThan(0);
    }
    expect((outcome(frame(pushes[0]!)) as { id: string }[])[0]!.id).toBe('htx:linear:BTC-USDT:1800000000001:sell:1500:60000.5');
    expect((outcome(frame(pushes[1]!)) as { id: string }[])[0]!.id).toBe('htx:linear:BTC-USDT:1800000000001:sell:1000:1e-7');
    expect((outcome(frame(pushes[2]!)) as { id: string }[])[0]!.id).toBe('htx:linear:BTC-USDT:1800000000001:sell:1500.0:60000.50');
  });

  it('leaves every other push to the general reading, which decides as before', () => {
    for (const data of refused) {
      expect(decodeCompactPush(data, 1800000000040, context), data).toBeUndefined();
      expect(outcome(frame(data)), data).toEqual(outcome(general(data)));
    }
    expect(refused.map((data) => outcome(frame(data)))).toEqual([
      'malformed',
      [expect.objectContaining({ quantity: 1 * 0.001, notionalUsd: 60 })],
      'unknown instrument',
      [],
      [],
    ]);
  });
});
