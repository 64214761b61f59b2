/** Decoder benchmark entry: dYdX v4 indexer `v4_trades` (LIQUIDATED trades). */
import dydx from '@liqmon/exchange-dydx';

export default {
  venue: 'dydx',
  definition: dydx,
  golden: new URL('../../packages/exchange-dydx/test/golden/', import.meta.url),
  tardis: { v4_trades: 'dydx-v4' },
  symbols: (reference) => ({ v4_trades: Object.keys(reference.rest['/v4/perpetualMarkets'].markets) }),
  /** `contents` is one `{trades}` object, or an array of them in batched frames; `id` is the market. */
  vary(message, channel, v) {
    if (message.channel !== 'v4_trades' || message.type !== 'channel_data') return undefined;
    message.id = v.symbol(channel, message.id);
    for (const contents of Array.isArray(message.contents) ? message.contents : [message.contents]) {
      for (const trade of contents?.trades ?? []) {
        trade.price = v.decimal(trade.price);
        trade.size = v.decimal(trade.size);
        trade.createdAt = v.isoTime(trade.createdAt);
      }
    }
    return message;
  },
};
