/** The shared source contract (the same checks every liqmon source runs). */
import { describe, it } from 'vitest';
import { FakeBinance, sourceConformance, type FakeExchangeServer } from '@liqmon/core/testing';
import binance from '../src/index.js';
import { frame, json, lines } from './helpers.js';

/** The FakeBinance behind each server the kit gets, so that `emit` pushes through its subscriptions. */
const fakes = new WeakMap<FakeExchangeServer, FakeBinance>();

describe('binance source conformance', () => {
  const checks = sourceConformance({
    definition: binance,
    fake: async () => {
      const fake = await FakeBinance.start({
        usdmExchangeInfo: json('exchange-info.usdm.json'),
        coinmExchangeInfo: json('exchange-info.coinm.json'),
      });
      fakes.set(fake.server, fake);
      return fake.server;
    },
    options: (server) => ({
      usdmUrl: server.wsUrl,
      coinmUrl: `${server.wsUrl}/coinm`,
      usdmRestUrl: server.httpUrl,
      coinmRestUrl: server.httpUrl,
      reconnectDelay: '20ms',
      maxReconnectDelay: '200ms',
    }),
    // Only to clients subscribed to !forceOrder@arr or btcusdt@forceOrder, as Binance does.
    emit: (server) => void fakes.get(server)?.pushUsdm(),
    fixtures: [
      ...lines('binance-usdm.jsonl').map((data) => frame('usdm', data)),
      ...lines('binance-coinm.jsonl').map((data) => frame('coinm', data)),
    ],
    malformed: [frame('usdm', '{"e":"forceOrder","E":1,"o":{"s":"BTCUSDT","S":"SELL","z":"Infinity","ap":"1","T":1}}')],
    control: lines('binance-usdm.control.jsonl').map((data) => frame('usdm', data)),
    // Binance cuts a client that does not answer its pings; the source pings a quiet connection itself.
    keepAlive: { idleTimeout: 800, options: { staleAfter: '1s', probeAfter: '250ms' } },
  });
  for (const check of checks) it(check.name, check.run);
});
