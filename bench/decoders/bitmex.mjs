/** Decoder benchmark entry: BitMEX `liquidation` table inserts (inverse, linear and quanto contracts). */
import bitmex from '@liqmon/exchange-bitmex';

/** symbol -> inverse / quanto / linear, filled by `symbols()`. */
const kindOf = new Map();

/**
 * Contracts liqmon values in USD (USD, USDT or XBT quotes, settled in XBt or USDt): a variant on an EUR
 * contract or an index would be an event for tardis-dev and none for liqmon, and the counts would differ.
 */
const priced = (instrument) => ['USD', 'USDT', 'USDC', 'XBT'].includes(instrument.quoteCurrency) && ['XBt', 'USDt'].includes(instrument.settlCurrency);

const kind = (instrument) => (instrument.isInverse ? 'inverse' : instrument.isQuanto ? 'quanto' : 'linear');

export default {
  venue: 'bitmex',
  definition: bitmex,
  golden: new URL('../../packages/exchange-bitmex/test/golden/', import.meta.url),
  // tardis-dev's BitMEX mapper reads the same `liquidation` table messages (`action: insert`).
  tardis: { realtime: 'bitmex' },
  /** Symbols by contract kind, so a variant keeps its unit (inverse: USD contracts). */
  symbols(reference) {
    const byKind = {};
    for (const instrument of reference.rest['/api/v1/instrument/active']) {
      if (!priced(instrument)) continue;
      kindOf.set(instrument.symbol, kind(instrument));
      (byKind[kind(instrument)] ??= []).push(instrument.symbol);
    }
    return byKind;
  },
  /** Inserts only: `partial`, `update` and `delete` are the same liquidations going on (no event on either side). */
  vary(message, _channel, v) {
    if (message.table !== 'liquidation' || message.action !== 'insert' || !Array.isArray(message.data)) return undefined;
    for (const row of message.data) {
      row.symbol = v.symbol(kindOf.get(row.symbol), row.symbol);
      row.price = v.decimal(row.price);
      row.leavesQty = v.decimal(row.leavesQty);
      // A new order id per variant (rows carry no time): the last 12 hex digits from the random source.
      row.orderID = `${row.orderID.slice(0, -12)}${Math.floor(v.random() * 2 ** 48).toString(16).padStart(12, '0')}`;
    }
    return message;
  },
};
