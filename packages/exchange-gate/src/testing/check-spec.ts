/**
 * How `liqmon check-plugin` (and this package's tests) run the live checks of the Gate source: the
 * fake venue, the options that point the source at it, how to make it push a liquidation, and the idle
 * cut a well-behaved source survives.
 */
import type { FakeExchangeServer, LiveSourceSpec } from '@liqmon/core/testing';
import { FakeGate } from './fake-gate.js';

/** An idle cut a source survives with its heartbeat shortened for the check (`staleAfter: 1s`). */
const IDLE_CUT_MS = 800;

/** The live-check spec of the Gate source against {@link FakeGate}. */
export function gateCheckSpec(): LiveSourceSpec {
  const fakes = new WeakMap<FakeExchangeServer, FakeGate>();
  return {
    fake: async () => {
      const fake = await FakeGate.start();
      fakes.set(fake.server, fake);
      return fake.server;
    },
    options: (server) => ({ wsUrl: server.wsUrl, restUrl: server.httpUrl }),
    emit: (server) => void fakes.get(server)?.liquidation('BTC_USDT', { size: '-250', price: '60000' }),
    // Gate cuts a client that answers nothing; the source's futures.ping runs every third of staleAfter.
    keepAlive: { idleTimeout: IDLE_CUT_MS, options: { staleAfter: '1s' } },
  };
}
