/**
 * How `liqmon check-plugin` (and this package's tests) run the live checks against the fake BitMEX:
 * the fake, the options pointing at it, how to make it push a liquidation, and the idle cut to survive.
 */
import type { FakeExchangeServer, LiveSourceSpec } from '@liqmon/core/testing';
import { FakeBitmex } from './fake-bitmex.js';

/** The fake cuts a client that sent nothing for this long; `staleAfter: 1s` pings every 333 ms. */
const IDLE_CUT_MS = 800;

/** The live spec of the BitMEX source. */
export function bitmexCheckSpec(): LiveSourceSpec {
  const fakes = new WeakMap<FakeExchangeServer, FakeBitmex>();
  return {
    fake: async () => {
      const fake = await FakeBitmex.start();
      fakes.set(fake.server, fake);
      return fake.server;
    },
    options: (server) => ({ wsUrl: server.wsUrl, restUrl: server.httpUrl }),
    emit: (server) => void fakes.get(server)?.liquidation('XBTUSD', { side: 'Sell', price: 60_000, leavesQty: 20_000 }),
    keepAlive: { idleTimeout: IDLE_CUT_MS, options: { staleAfter: '1s' } },
  };
}
