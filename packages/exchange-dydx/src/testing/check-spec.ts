/**
 * How `liqmon check-plugin` (through `liqmon.check.js`) and this package's tests run the live checks:
 * the fake dYdX indexer, the options that point the source at it, and how it pushes a liquidation.
 */
import type { FakeExchangeServer, LiveSourceSpec } from '@liqmon/core/testing';
import { FakeDydx } from './fake-dydx.js';

/** An idle cut shorter than the real one (the indexer wants a pong within 10 s of its ping). */
const IDLE_CUT_MS = 800;

/** The live spec of the dYdX source. */
export function dydxCheckSpec(): LiveSourceSpec {
  const fakes = new WeakMap<FakeExchangeServer, FakeDydx>();
  return {
    fake: async () => {
      // Pings every 200 ms, inside the idle cut: a source whose socket answers pings is never cut.
      const fake = await FakeDydx.start({ markets: ['BTC-USD', 'ETH-USD'], pingInterval: 200 });
      fakes.set(fake.server, fake);
      return fake.server;
    },
    options: (server) => ({ wsUrl: server.wsUrl, restUrl: server.httpUrl }),
    emit: (server) => void fakes.get(server)?.trade('BTC-USD', { side: 'SELL', size: '0.01', price: '60000' }),
    keepAlive: { idleTimeout: IDLE_CUT_MS },
  };
}
