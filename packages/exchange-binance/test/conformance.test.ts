/** The shared source contract (the same checks every liqmon source runs). */
import { describe, it } from 'vitest';
import { sourceConformance } from '@liqmon/core/testing';
import binance from '../src/index.js';
import { frame, json, lines } from './helpers.js';
import { FakeBinance } from '@liqmon/core/testing';

describe('binance source conformance', () => {
  const checks = sourceConformance({
    definition: binance,
    fake: async () =>
      (
        await FakeBinance.start({
          usdmExchangeInfo: json('exchange-info.usdm.json'),
          coinmExchangeInfo: json('exchange-info.coinm.json'),
        })
      ).server,
    options: (server) => ({
      usdmUrl: server.wsUrl,
      coinmUrl: `${server.wsUrl}/coinm`,
      usdmRestUrl: server.httpUrl,
      coinmRestUrl: server.httpUrl,
      reconnectDelay: '20ms',
      maxReconnectDelay: '200ms',
    }),
    emit: (server) => void server.push(FakeBinance.frame('usdm'), '/market/'),
    fixtures: [
      ...lines('binance-usdm.jsonl').map((data) => frame('usdm', data)),
      ...lines('binance-coinm.jsonl').map((data) => frame('coinm', data)),
    ],
    malformed: [frame('usdm', '{"e":"forceOrder","E":1,"o":{"s":"BTCUSDT","S":"SELL","z":"Infinity","ap":"1","T":1}}')],
  });
  for (const check of checks) it(check.name, check.run);
});
