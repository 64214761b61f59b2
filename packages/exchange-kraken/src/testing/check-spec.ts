/**
 * How `liqmon check-plugin` (through `liqmon.check.js`) and this package's tests run the live checks:
 * the fake Kraken Futures, the options that point the source at it, and how it pushes a liquidation.
 */
import type { FakeExchangeServer, LiveSourceSpec } from '@liqmon/core/testing';
import { FakeKraken } from './fake-kraken.js';

/** An idle cut the source survives with the ping shortened for the check (Kraken's is 60 s). */
const IDLE_CUT_MS = 800;

/** Products the golden frames (test/golden/) name, as the fake lists them. */
const GOLDEN_PRODUCTS = [
  'PI_XRPUSD',
  'PI_ETHUSD',
  'PI_XBTUSD',
  'FI_XBTUSD_261225',
  { symbol: 'PF_XBTUSD', type: 'flexible_futures', contractSize: 1, base: 'XBT', quote: 'USD' },
  { symbol: 'PF_KTESTUSD', type: 'flexible_futures', contractSize: 10 },
];

/** The live spec of the Kraken source. */
export function krakenCheckSpec(): LiveSourceSpec {
  const fakes = new WeakMap<FakeExchangeServer, FakeKraken>();
  return {
    fake: async () => {
      // The products of the golden frames too: the conformance kit decodes them against this fake's list.
      const fake = await FakeKraken.start({ instruments: GOLDEN_PRODUCTS });
      fakes.set(fake.server, fake);
      return fake.server;
    },
    options: (server) => ({ wsUrl: server.wsUrl, restUrl: server.httpUrl }),
    emit: (server) => void fakes.get(server)?.liquidation('PF_XBTUSD', { side: 'sell', qty: 0.01, price: 60_000 }),
    // staleAfter 1s pings every 333 ms, inside the fake's cut.
    keepAlive: { idleTimeout: IDLE_CUT_MS, options: { staleAfter: '1s' } },
  };
}
