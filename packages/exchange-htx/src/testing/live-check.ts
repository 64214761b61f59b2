/**
 * How `liqmon check-plugin` (and this package's tests) run the live conformance checks: the fake HTX,
 * the options that point the source at it, how to make it push a liquidation, and an idle cut the
 * source must survive by answering the fake's pings.
 */
import type { FakeExchangeServer, LiveSourceSpec } from '@liqmon/core/testing';
import { FakeHtx, type FakeHtxContract } from './fake-htx.js';

/** An idle cut the source survives only by answering pings; the fake pings four times as often. */
const IDLE_CUT_MS = 800;

/** The contracts of the golden frames, with the contract sizes of test/golden/reference.json. */
const GOLDEN_CONTRACTS: FakeHtxContract[] = [
  { code: 'BTC-USDT', size: 0.001 },
  { code: 'ETH-USDT', size: 0.01 },
  { code: 'DOGE-USDT', size: 100 },
  { code: 'BTC-USDT-261225', size: 0.001 },
];

/** The live spec of the HTX source against {@link FakeHtx}. */
export function htxLiveCheck(): LiveSourceSpec {
  const fakes = new WeakMap<FakeExchangeServer, FakeHtx>();
  return {
    fake: async () => {
      const fake = await FakeHtx.start({ contracts: GOLDEN_CONTRACTS, pingInterval: IDLE_CUT_MS / 4 });
      fakes.set(fake.server, fake);
      return fake.server;
    },
    options: (server) => ({ wsUrl: server.wsUrl, restUrl: server.httpUrl }),
    // A fixed time per push would be deduped by core; every push is a new liquidation.
    emit: (server) => void fakes.get(server)?.liquidation('BTC-USDT', { direction: 'sell', volume: 2000, price: 60000 }),
    keepAlive: { idleTimeout: IDLE_CUT_MS, options: { staleAfter: '5s' } },
  };
}
