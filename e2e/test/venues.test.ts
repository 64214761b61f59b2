/**
 * Each venue issue's sources together in one config, through the built CLI, each against its own fake
 * venue: a liquidation of every venue alerts (side and USD checked), every socket outlives its fake's
 * idle cut, a drop of every connection at once is followed by resubscription (the fakes deliver only
 * to subscribed clients, so an alert after the drop proves it), and SIGTERM exits 0.
 */
import { fileURLToPath } from 'node:url';
import type { FakeExchangeServer } from '@liqmon/core/testing';
import { FakeBitfinex } from '@liqmon/exchange-bitfinex/testing';
import { FakeBitget } from '@liqmon/exchange-bitget/testing';
import { FakeBitmex } from '@liqmon/exchange-bitmex/testing';
import { FakeDeribit } from '@liqmon/exchange-deribit/testing';
import { FakeDydx } from '@liqmon/exchange-dydx/testing';
import { FakeGate } from '@liqmon/exchange-gate/testing';
import { FakeHtx } from '@liqmon/exchange-htx/testing';
import { FakeKraken } from '@liqmon/exchange-kraken/testing';
import { FakeOkx } from '@liqmon/exchange-okx/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { alertEvents, cleanEnv, type CliRun, liqmon } from './cli.js';

/** Every fake cuts a client that sent nothing for this long; every source must beat it. */
const IDLE_CUT_MS = 2_500;

/** One venue of the run: its fake, the environment that points the config at it, two liquidations. */
interface Venue {
  server: FakeExchangeServer;
  env: Record<string, string>;
  /** Push a liquidation (fixed ids: pushing it again is the same liquidation); `round` 1 or 2. */
  push(round: 1 | 2, at: number): void;
  /** The symbol of each round's liquidation, as the alert shows it. */
  symbols: [string, string];
  close(): Promise<void>;
}

const open: Venue[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((venue) => venue.close()));
});

const alerts = (stdout: string) => alertEvents(stdout).map((e) => `${e.exchange}:${e.market}:${e.symbol}:${e.side}:${e.notionalUsd.toFixed(2)}`);

/** Push until the alert shows: across a reconnect, a push reaches nobody until the source has resubscribed. */
async function pushUntilSeen(run: CliRun, venue: Venue, round: 1 | 2): Promise<void> {
  const at = Date.now();
  const timer = setInterval(() => venue.push(round, at), 100);
  try {
    await run.waitFor(`"symbol":"${venue.symbols[round - 1]}"`);
  } finally {
    clearInterval(timer);
  }
}

/** Start the config against the venues and walk every venue through alert, idle cut, drop, alert, SIGTERM. */
async function runVenues(config: string, venues: Venue[]): Promise<string[]> {
  open.push(...venues);
  const run = liqmon(['start', '-c', fileURLToPath(new URL(`./fixtures/${config}`, import.meta.url))], {
    env: cleanEnv(Object.assign({}, ...venues.map((venue) => venue.env)) as Record<string, string>),
  });
  for (const venue of venues) await pushUntilSeen(run, venue, 1);

  await new Promise((resolve) => setTimeout(resolve, IDLE_CUT_MS * 1.5));
  for (const venue of venues) expect(venue.server.idleCuts).toEqual([]);

  const before = venues.map((venue) => venue.server.connections.length);
  for (const venue of venues) venue.server.dropAll();
  for (const [index, venue] of venues.entries()) {
    await venue.server.waitFor(() => venue.server.connections.length > before[index]!, { timeout: 15_000 });
    await pushUntilSeen(run, venue, 2);
  }

  run.child.kill('SIGTERM');
  expect(await run.exited).toBe(0);
  return alerts(run.stdout());
}

describe('liqmon start with every venue of issue 17 in one config', () => {
  it('alerts from each, outlives the idle cuts, resubscribes after a drop, exits 0 on SIGTERM', async () => {
    const okx = await FakeOkx.start({ instruments: ['BTC-USDT-SWAP', 'BTC-USD-SWAP'], idleTimeout: IDLE_CUT_MS });
    const bitget = await FakeBitget.start({ idleTimeout: IDLE_CUT_MS });
    const gate = await FakeGate.start({ idleTimeout: IDLE_CUT_MS });
    // HTX pings the client and cuts it after 3 pings unanswered, or after the idle cut.
    const htx = await FakeHtx.start({ contracts: ['BTC-USDT', 'ETH-USDT'], idleTimeout: IDLE_CUT_MS, pingInterval: 300, maxMissedPings: 3 });
    const got = await runVenues('venues-a.yaml', [
      {
        server: okx.server,
        env: { OKX_WS: okx.wsUrl, OKX_REST: okx.restUrl },
        // 20 x 0.01 BTC x 60,000 = $12,000 of a long; inverse 50 x 100 USD = $5,000 of a short (net mode, a buy closed it).
        push: (round, ts) =>
          round === 1
            ? okx.liquidation('BTC-USDT-SWAP', { posSide: 'long', side: 'sell', sz: '20', bkPx: '60000', ts })
            : okx.liquidation('BTC-USD-SWAP', { posSide: 'net', side: 'buy', sz: '50', bkPx: '61000', ts }),
        symbols: ['BTC-USDT-SWAP', 'BTC-USD-SWAP'],
        close: () => okx.close(),
      },
      {
        server: bitget.server,
        env: { BITGET_WS: bitget.wsUrl, BITGET_REST: bitget.restUrl },
        // `side` is the position; `amount` the USD value.
        push: (round, time) =>
          round === 1
            ? bitget.liquidation('usdt-futures', 'BTCUSDT', { side: 'buy', amount: '30000', price: '60000', time })
            : bitget.liquidation('coin-futures', 'BTCUSD', { side: 'sell', amount: '2500', price: '60000', time }),
        symbols: ['BTCUSDT', 'BTCUSD'],
        close: () => bitget.close(),
      },
      {
        server: gate.server,
        env: { GATE_WS: gate.wsUrl, GATE_REST: gate.restUrl },
        // WebSocket `size` is the liquidation order: -5000 x 0.0001 BTC sold = a long of 0.5 BTC, $30,000;
        // +2500 USD contracts bought = a short, $2,500.
        push: (round, time) =>
          round === 1 ? gate.liquidation('BTC_USDT', { size: '-5000', price: '60000', time }) : gate.liquidation('BTC_USD', { size: '2500', price: '60000', time }),
        symbols: ['BTC_USDT', 'BTC_USD'],
        close: () => gate.close(),
      },
      {
        server: htx.server,
        env: { HTX_WS: htx.wsUrl, HTX_REST: htx.restUrl },
        // `direction` is the liquidation order: a buy of 500 x 0.01 ETH at 2,446.26 closes a short
        // ($12,231.30); a sell of 200 x 0.001 BTC at 60,000 closes a long ($12,000).
        push: (round, created_at) =>
          round === 1
            ? htx.liquidation('ETH-USDT', { direction: 'buy', volume: 500, price: 2446.26, created_at })
            : htx.liquidation('BTC-USDT', { direction: 'sell', volume: 200, price: 60_000, created_at }),
        symbols: ['ETH-USDT', 'BTC-USDT'],
        close: () => htx.close(),
      },
    ]);
    expect(got).toEqual([
      'okx:linear:BTC-USDT-SWAP:long:12000.00',
      'bitget:linear:BTCUSDT:long:30000.00',
      'gate:linear:BTC_USDT:long:30000.00',
      'htx:linear:ETH-USDT:short:12231.30',
      'okx:inverse:BTC-USD-SWAP:short:5000.00',
      'bitget:inverse:BTCUSD:short:2500.00',
      'gate:inverse:BTC_USD:short:2500.00',
      'htx:linear:BTC-USDT:long:12000.00',
    ]);
  }, 120_000);
});

describe('liqmon start with every venue of issue 18 in one config', () => {
  it('alerts from each, outlives the idle cuts, resubscribes after a drop, exits 0 on SIGTERM', async () => {
    const bitmex = await FakeBitmex.start({ idleTimeout: IDLE_CUT_MS });
    const deribit = await FakeDeribit.start({ heartbeatUnitMs: 100, idleTimeout: IDLE_CUT_MS });
    const kraken = await FakeKraken.start({ instruments: ['PF_XBTUSD', 'PI_ETHUSD'], idleTimeout: IDLE_CUT_MS });
    const dydx = await FakeDydx.start({ markets: ['ETH-USD', 'SOL-USD'], pingInterval: 500, idleTimeout: IDLE_CUT_MS });
    const bitfinex = await FakeBitfinex.start({ heartbeatInterval: 500, idleTimeout: IDLE_CUT_MS });
    const got = await runVenues('venues-b.yaml', [
      {
        server: bitmex.server,
        env: { BITMEX_WS: bitmex.wsUrl, BITMEX_REST: bitmex.restUrl },
        // The order's side: Sell closes a long. XBTUSD is inverse, 1 contract = 1 USD ($25,000);
        // XBTUSDT is linear, 1e6 contracts = 1 BTC: 2 BTC x 60,000 = $120,000.
        push: (round, at) =>
          round === 1
            ? bitmex.liquidation('XBTUSD', { orderID: `e2e-1-${at}`, side: 'Sell', price: 60_000, leavesQty: 25_000 })
            : bitmex.liquidation('XBTUSDT', { orderID: `e2e-2-${at}`, side: 'Buy', price: 60_000, leavesQty: 2_000_000 }),
        symbols: ['XBTUSD', 'XBTUSDT'],
        close: () => bitmex.close(),
      },
      {
        server: deribit.server,
        env: { DERIBIT_WS: deribit.wsUrl, DERIBIT_REST: deribit.restUrl },
        // T sell on the inverse perpetual: the taker's long, amount in USD ($25,000). M buy on a linear
        // perpetual: the maker sold, so its long, 10 SOL x 150 = $1,500.
        push: (round, timestamp) =>
          round === 1
            ? deribit.liquidation('BTC-PERPETUAL', { liquidation: 'T', direction: 'sell', amount: 25_000, price: 60_000, timestamp, tradeId: `e2e-1-${timestamp}` })
            : deribit.liquidation('SOL_USDC-PERPETUAL', { liquidation: 'M', direction: 'buy', amount: 10, price: 150, timestamp, tradeId: `e2e-2-${timestamp}` }),
        symbols: ['BTC-PERPETUAL', 'SOL_USDC-PERPETUAL'],
        close: () => deribit.close(),
      },
      {
        server: kraken.server,
        env: { KRAKEN_WS: kraken.wsUrl, KRAKEN_REST: kraken.restUrl },
        // Taker sell 0.5 BTC at 60,000: a long, $30,000; taker buy of 25,000 USD inverse contracts: a short, $25,000.
        push: (round, time) =>
          round === 1
            ? kraken.liquidation('PF_XBTUSD', { side: 'sell', qty: 0.5, price: 60_000, uid: `e2e-1-${time}`, time })
            : kraken.liquidation('PI_ETHUSD', { side: 'buy', qty: 25_000, price: 2_500, uid: `e2e-2-${time}`, time }),
        symbols: ['PF_XBTUSD', 'PI_ETHUSD'],
        close: () => kraken.close(),
      },
      {
        server: dydx.server,
        env: { DYDX_WS: dydx.wsUrl, DYDX_REST: dydx.restUrl },
        // The taker is the liquidation order: SELL closes a long (10 ETH x 3,000), BUY a short (100 SOL x 150).
        push: (round, time) =>
          round === 1
            ? dydx.trade('ETH-USD', { side: 'SELL', size: '10', price: '3000', id: `e2e-1-${time}`, time })
            : dydx.trade('SOL-USD', { side: 'BUY', size: '100', price: '150', id: `e2e-2-${time}`, time }),
        symbols: ['ETH-USD', 'SOL-USD'],
        close: () => dydx.close(),
      },
      {
        server: bitfinex.server,
        env: { BITFINEX_WS: bitfinex.wsUrl },
        // The sign of the amount is the position: +0.5 BTC a long ($30,000), -10 ETH a short ($25,000).
        push: (round, time) =>
          round === 1
            ? bitfinex.liquidation({ symbol: 'tBTCF0:USTF0', amount: 0.5, price: 60_000, posId: 170_000_001, time })
            : bitfinex.liquidation({ symbol: 'tETHUSD', amount: -10, price: 2_500, posId: 170_000_002, time }),
        symbols: ['tBTCF0:USTF0', 'tETHUSD'],
        close: () => bitfinex.close(),
      },
    ]);
    expect(got).toEqual([
      'bitmex:inverse:XBTUSD:long:25000.00',
      'deribit:inverse:BTC-PERPETUAL:long:25000.00',
      'kraken:linear:PF_XBTUSD:long:30000.00',
      'dydx:linear:ETH-USD:long:30000.00',
      'bitfinex:linear:tBTCF0:USTF0:long:30000.00',
      'bitmex:linear:XBTUSDT:short:120000.00',
      'deribit:linear:SOL_USDC-PERPETUAL:long:1500.00',
      'kraken:inverse:PI_ETHUSD:short:25000.00',
      'dydx:linear:SOL-USD:short:15000.00',
      'bitfinex:linear:tETHUSD:short:25000.00',
    ]);
  }, 120_000);
});
