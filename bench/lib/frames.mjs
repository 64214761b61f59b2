/**
 * Frames in the real Binance and Bybit shapes, generated from the recorded fixtures in
 * the exchange packages' test/fixtures (copied field for field: see binance-usdm.jsonl, binance-coinm.jsonl,
 * bybit-linear.jsonl) with varied symbols, sides, sizes and prices. Every frame gets a unique exchange
 * time `T`, so every liquidation gets a unique id and dedupe never hides one.
 *
 * Randomness is seeded (`seededRandom` of the test kit), so two runs push exactly the same frames.
 */
import { seededRandom } from '@liqmon/core/testing';

/** Linear symbols with a typical price; the long tail (`COIN<i>USDT`) is what Bybit lists by the hundred. */
export const LINEAR = [
  ['BTCUSDT', 'BTC', 60000],
  ['ETHUSDT', 'ETH', 3000],
  ['SOLUSDT', 'SOL', 150],
  ['XRPUSDT', 'XRP', 0.6],
  ['DOGEUSDT', 'DOGE', 0.12],
  ['1000PEPEUSDT', '1000PEPE', 0.012],
  ['ADAUSDT', 'ADA', 0.19],
  ['ICPUSDT', 'ICP', 2.585],
  ...Array.from({ length: 40 }, (_, i) => [`COIN${i}USDT`, `COIN${i}`, 0.5 + i]),
];
/** Binance COIN-M perpetuals with their contract size in USD (BTC 100, others 10). */
export const COINM = [
  ['BTCUSD_PERP', 'BTC', 60000, 100],
  ['ETHUSD_PERP', 'ETH', 3000, 10],
  ['SOLUSD_PERP', 'SOL', 150, 10],
];
/** Bybit inverse contracts (1 USD each). */
export const INVERSE = [
  ['BTCUSD', 'BTC', 60000],
  ['ETHUSD', 'ETH', 3000],
  ['XRPUSD', 'XRP', 0.6],
];

const decimals = (price) => (price >= 1000 ? 2 : price >= 1 ? 3 : 6);

/**
 * A generator of frames. `next()` returns `{ exchange, channel, data, events }` where `events` is how
 * many liquidations the frame carries (Bybit frames sometimes carry two or three, as the 500 ms push
 * batches them). `time` starts at `startTime` and grows by one per liquidation: ids are unique.
 */
export function frameGenerator({ seed = 1, startTime = Date.now(), mix = ['usdm', 'coinm', 'linear', 'inverse'] } = {}) {
  const random = seededRandom(seed);
  const pick = (list) => list[Math.floor(random() * list.length)];
  let time = startTime;
  // Sizes spread over four orders of magnitude of USD: most small, some whales.
  const usd = () => 10 ** (2 + random() * 4.5);
  const price = (base) => (base * (0.97 + random() * 0.06)).toFixed(decimals(base));

  const usdm = () => {
    const [symbol, , base] = pick(LINEAR);
    const p = price(base);
    const qty = (usd() / Number(p)).toFixed(3);
    const T = time++;
    // Shape of fixtures/binance-usdm.jsonl line 1 (combined-stream envelope), all-market stream name.
    const side = random() < 0.5 ? 'SELL' : 'BUY';
    return `{"stream":"!forceOrder@arr","data":{"e":"forceOrder","E":${T + 4},"o":{"s":"${symbol}","S":"${side}","o":"LIMIT","f":"IOC","q":"${qty}","p":"${p}","ap":"${p}","X":"FILLED","l":"${qty}","z":"${qty}","T":${T}}}}`;
  };
  const coinm = () => {
    const [symbol, , base, contract] = pick(COINM);
    const p = price(base);
    const contracts = Math.max(1, Math.round(usd() / contract));
    const T = time++;
    const side = random() < 0.5 ? 'SELL' : 'BUY';
    // Shape of fixtures/binance-coinm.jsonl (with `ps`).
    return `{"stream":"!forceOrder@arr","data":{"e":"forceOrder","E":${T + 2},"o":{"s":"${symbol}","ps":"${symbol.split('_')[0]}","S":"${side}","o":"LIMIT","f":"IOC","q":"${contracts}","p":"${p}","ap":"${p}","X":"FILLED","l":"${contracts}","z":"${contracts}","T":${T}}}}`;
  };
  const bybitItem = (symbol, base, inverse) => {
    const p = price(base);
    const v = inverse ? String(Math.max(1, Math.round(usd()))) : (usd() / Number(p)).toFixed(base >= 1000 ? 3 : 1);
    return `{"T":${time++},"s":"${symbol}","S":"${random() < 0.5 ? 'Buy' : 'Sell'}","v":"${v === '0.0' ? '0.1' : v}","p":"${p}"}`;
  };
  const bybit = (list, inverse) => {
    const [symbol, , base] = pick(list);
    const n = random() < 0.9 ? 1 : random() < 0.7 ? 2 : 3;
    const items = Array.from({ length: n }, () => bybitItem(symbol, base, inverse));
    // Shape of fixtures/bybit-linear.jsonl: data is an array.
    return { data: `{"topic":"allLiquidation.${symbol}","type":"snapshot","ts":${time + 300},"data":[${items.join(',')}]}`, events: n, symbol };
  };

  return {
    next(kind = pick(mix)) {
      switch (kind) {
        case 'usdm':
          return { exchange: 'binance', channel: 'usdm', data: usdm(), events: 1 };
        case 'coinm':
          return { exchange: 'binance', channel: 'coinm', data: coinm(), events: 1 };
        case 'linear': {
          const f = bybit(LINEAR, false);
          return { exchange: 'bybit', channel: 'linear', data: f.data, events: f.events, symbol: f.symbol };
        }
        default: {
          const f = bybit(INVERSE, true);
          return { exchange: 'bybit', channel: 'inverse', data: f.data, events: f.events, symbol: f.symbol };
        }
      }
    },
    /** The next exchange time that will be used. */
    get time() {
      return time;
    },
  };
}

/** Exchange info bodies for FakeBinance listing {@link LINEAR} and {@link COINM}. */
export function binanceExchangeInfo() {
  return {
    usdmExchangeInfo: {
      symbols: LINEAR.map(([symbol, base]) => ({ symbol, pair: symbol, contractType: 'PERPETUAL', baseAsset: base, quoteAsset: 'USDT' })),
    },
    coinmExchangeInfo: {
      symbols: COINM.map(([symbol, base, , contractSize]) => ({ symbol, pair: `${base}USD`, contractType: 'PERPETUAL', baseAsset: base, quoteAsset: 'USD', contractSize })),
    },
  };
}
