/** Decoder benchmark entry: Binance USD-M (`usdm`) and COIN-M (`coinm`) forceOrder frames. */
import binance from '@liqmon/exchange-binance';

export default {
  venue: 'binance',
  definition: binance,
  golden: new URL('../../packages/exchange-binance/test/golden/', import.meta.url),
  tardis: { usdm: 'binance-futures', coinm: 'binance-delivery' },
  symbols: (reference) => ({
    usdm: reference.rest['/fapi/v1/exchangeInfo'].symbols.map((s) => s.symbol),
    coinm: reference.rest['/dapi/v1/exchangeInfo'].symbols.map((s) => s.symbol),
  }),
  /**
   * Every variant in the combined-stream envelope of a per-symbol stream (`btcusdt@forceOrder`, as
   * recorded in usdm.jsonl line 1): liqmon's connections are combined streams, and tardis-dev only
   * maps `<symbol>@forceOrder` envelopes. Older recordings without the envelope are wrapped.
   */
  vary(message, channel, v) {
    const event = typeof message.stream === 'string' ? message.data : message;
    const order = event.o;
    order.s = v.symbol(channel, order.s);
    order.p = v.decimal(order.p);
    order.ap = v.decimal(order.ap);
    order.z = v.decimal(order.z);
    order.l = order.z;
    order.q = order.z;
    event.E = v.time(event.E);
    order.T = v.time(order.T);
    return { stream: `${order.s.toLowerCase()}@forceOrder`, data: event };
  },
};
