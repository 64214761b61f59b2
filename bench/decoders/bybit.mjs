/** Decoder benchmark entry: Bybit linear and inverse `allLiquidation` frames. */
import bybit from '@liqmon/exchange-bybit';

const listed = (reference, category) => reference.rest[`/v5/market/instruments-info?category=${category}`].result.list.map((s) => s.symbol);

export default {
  venue: 'bybit',
  definition: bybit,
  golden: new URL('../../packages/exchange-bybit/test/golden/', import.meta.url),
  // tardis-dev maps `allLiquidation` with one mapper for both categories (for times after 2025-02-26).
  tardis: { linear: 'bybit', inverse: 'bybit' },
  symbols: (reference) => ({ linear: listed(reference, 'linear'), inverse: listed(reference, 'inverse') }),
  /** The live topic only: the retired `liquidation.{symbol}` frames come from old recordings. */
  vary(message, channel, v) {
    if (typeof message.topic !== 'string' || !message.topic.startsWith('allLiquidation.')) return undefined;
    const symbol = v.symbol(channel, message.data[0]?.s);
    message.topic = `allLiquidation.${symbol}`;
    message.ts = v.time(message.ts);
    for (const item of message.data) {
      item.s = symbol;
      item.T = v.time(item.T);
      item.v = v.decimal(item.v);
      item.p = v.decimal(item.p);
    }
    return message;
  },
};
