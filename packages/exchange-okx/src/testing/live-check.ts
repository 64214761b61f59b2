/**
 * How `liqmon check-plugin` (and this package's tests) run the live conformance checks: the fake OKX,
 * the options that point the source at it, how to make it push a liquidation, and an idle cut the
 * source must survive with its heartbeat.
 */
import type { FakeExchangeServer, LiveSourceSpec } from '@liqmon/core/testing';
import { FakeOkx, type FakeOkxInstrument } from './fake-okx.js';

/** An idle cut a source survives with a heartbeat shortened for the check (`staleAfter: 1s` pings every 333 ms). */
const IDLE_CUT_MS = 800;

/**
 * The instruments of the golden frames, with the contract values of test/golden/reference.json: the
 * conformance kit decodes those frames with what this fake lists.
 */
const GOLDEN_INSTRUMENTS: FakeOkxInstrument[] = [
  { instId: 'BTC-USDT-SWAP', ctVal: '0.01' },
  { instId: 'BTC-USD-SWAP', ctVal: '100' },
  { instId: 'CNPY-USDT-SWAP', ctVal: '1' },
  { instId: 'MINA-USDT-SWAP', ctVal: '1' },
  { instId: 'CELO-USDT-SWAP', ctVal: '10' },
  { instId: 'IOST-USDT-SWAP', ctVal: '1000' },
  { instId: 'XRP-USD-230929', ctVal: '10' },
  { instId: 'ETH-USDT-261225', ctVal: '0.1', ctMult: '10' },
];

/** The live spec of the OKX source against {@link FakeOkx}. */
export function okxLiveCheck(): LiveSourceSpec {
  const fakes = new WeakMap<FakeExchangeServer, FakeOkx>();
  return {
    fake: async () => {
      const fake = await FakeOkx.start({ instruments: GOLDEN_INSTRUMENTS });
      fakes.set(fake.server, fake);
      return fake.server;
    },
    options: (server) => ({ wsUrl: server.wsUrl, restUrl: server.httpUrl }),
    // A fixed time per push would be deduped by core; every push is a new liquidation.
    emit: (server) => void fakes.get(server)?.liquidation('BTC-USDT-SWAP', { posSide: 'long', sz: '2', bkPx: '60000' }),
    keepAlive: { idleTimeout: IDLE_CUT_MS, options: { staleAfter: '1s' } },
  };
}
