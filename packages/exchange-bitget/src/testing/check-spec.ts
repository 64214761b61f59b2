/**
 * How `liqmon check-plugin` (and this package's tests) run the live checks of the Bitget source: the
 * fake venue, the options that point the source at it, how to make it push a liquidation, and the idle
 * cut a well-behaved source survives.
 */
import type { FakeExchangeServer, LiveSourceSpec } from '@liqmon/core/testing';
import { FakeBitget } from './fake-bitget.js';

/** An idle cut a source survives with its heartbeat shortened for the check (`staleAfter: 1s`). */
const IDLE_CUT_MS = 800;

/** The live-check spec of the Bitget source against {@link FakeBitget}. */
export function bitgetCheckSpec(): LiveSourceSpec {
  const fakes = new WeakMap<FakeExchangeServer, FakeBitget>();
  return {
    fake: async () => {
      const fake = await FakeBitget.start();
      fakes.set(fake.server, fake);
      return fake.server;
    },
    options: (server) => ({ wsUrl: server.wsUrl, restUrl: server.httpUrl }),
    emit: (server) => void fakes.get(server)?.liquidation('usdt-futures', 'BTCUSDT', { side: 'buy', amount: '6000', price: '60000' }),
    // Bitget closes a connection that sent no ping for 2 minutes; the source pings every third of staleAfter.
    keepAlive: { idleTimeout: IDLE_CUT_MS, options: { staleAfter: '1s' } },
  };
}
