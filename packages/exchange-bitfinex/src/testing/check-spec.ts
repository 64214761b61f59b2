/**
 * How `liqmon check-plugin` (through `liqmon.check.js`) and this package's tests run the live checks:
 * the fake Bitfinex, the options that point the source at it, and how it pushes a liquidation.
 */
import type { FakeExchangeServer, LiveSourceSpec } from '@liqmon/core/testing';
import { FakeBitfinex } from './fake-bitfinex.js';

/** An idle cut the source survives with its ping shortened for the check. */
const IDLE_CUT_MS = 800;

/** The live spec of the Bitfinex source. */
export function bitfinexCheckSpec(): LiveSourceSpec {
  const fakes = new WeakMap<FakeExchangeServer, FakeBitfinex>();
  return {
    fake: async () => {
      const fake = await FakeBitfinex.start();
      fakes.set(fake.server, fake);
      return fake.server;
    },
    options: (server) => ({ wsUrl: server.wsUrl }),
    emit: (server) => void fakes.get(server)?.liquidation({ amount: 0.01, price: 60_000 }),
    // staleAfter 1s pings every 333 ms, inside the fake's cut.
    keepAlive: { idleTimeout: IDLE_CUT_MS, options: { staleAfter: '1s' } },
  };
}
