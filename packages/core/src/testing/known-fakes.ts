/**
 * How `liqmon check-plugin` runs the live checks of the first-party sources: the fake venue of each
 * (from this kit), the options that point the source at it, and how to make it push a liquidation.
 * Keyed by plugin name; a plugin of another name brings its own in a `liqmon.check.js` file.
 */
import { FakeBinance } from './fake-binance.js';
import { FakeBybit } from './fake-bybit.js';
import type { FakeExchangeServer } from './fake-exchange.js';
import type { SourceConformanceOptions } from './conformance.js';

/** The live part of a conformance spec: everything but the definition and the recorded frames. */
export type LiveSourceSpec = Pick<SourceConformanceOptions, 'fake' | 'options' | 'emit'> & Pick<SourceConformanceOptions, 'keepAlive'>;

/** An idle cut a well-behaved source survives with a heartbeat shortened for the check. */
const IDLE_CUT_MS = 800;

function binance(): LiveSourceSpec {
  const fakes = new WeakMap<FakeExchangeServer, FakeBinance>();
  return {
    fake: async () => {
      const fake = await FakeBinance.start();
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
    emit: (server) => void fakes.get(server)?.pushUsdm(),
    keepAlive: { idleTimeout: IDLE_CUT_MS, options: { staleAfter: '1s', probeAfter: '250ms' } },
  };
}

function bybit(): LiveSourceSpec {
  const fakes = new WeakMap<FakeExchangeServer, FakeBybit>();
  return {
    fake: async () => {
      const fake = await FakeBybit.start({ linear: ['BTCUSDT'], inverse: ['BTCUSD'] });
      fakes.set(fake.server, fake);
      return fake.server;
    },
    options: (server) => ({ wsUrl: server.wsUrl, restUrl: server.httpUrl }),
    emit: (server) => void fakes.get(server)?.liquidation('linear', 'BTCUSDT', { size: '0.01', price: '60000' }),
    keepAlive: { idleTimeout: IDLE_CUT_MS, options: { staleAfter: '1s' } },
  };
}

/** The live spec for a first-party source by plugin name, or undefined. */
export function knownSourceFake(name: string): LiveSourceSpec | undefined {
  if (name === 'binance') return binance();
  if (name === 'bybit') return bybit();
  return undefined;
}
