/**
 * How `liqmon check-plugin` (and this package's tests) run the live checks against the fake Deribit:
 * the fake, the options pointing at it, how to make it push a liquidation, and the idle cut to survive.
 */
import type { FakeExchangeServer, LiveSourceSpec } from '@liqmon/core/testing';
import { FakeDeribit } from './fake-deribit.js';

/**
 * The fake's heartbeat "second", ms: the source's minimum heartbeat of 10 s becomes 300 ms, well
 * inside the idle cut of {@link IDLE_CUT_MS}, so only the answers to test_request keep it alive.
 */
const HEARTBEAT_UNIT_MS = 30;
/** The fake cuts a client that sent nothing for this long. */
const IDLE_CUT_MS = 800;

/** The live spec of the Deribit source. */
export function deribitCheckSpec(): LiveSourceSpec {
  const fakes = new WeakMap<FakeExchangeServer, FakeDeribit>();
  return {
    fake: async () => {
      const fake = await FakeDeribit.start({ heartbeatUnitMs: HEARTBEAT_UNIT_MS });
      fakes.set(fake.server, fake);
      return fake.server;
    },
    options: (server) => ({ wsUrl: server.wsUrl, restUrl: server.httpUrl, heartbeat: '10s' }),
    emit: (server) => void fakes.get(server)?.liquidation('BTC-PERPETUAL', { liquidation: 'T', direction: 'sell', amount: 10_000, price: 60_000 }),
    keepAlive: { idleTimeout: IDLE_CUT_MS },
  };
}
