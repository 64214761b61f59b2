/** Decoder benchmark entry: Deribit futures and perpetuals, liquidation trades of the trade tape. */
import deribit from '@liqmon/exchange-deribit';

/** instrument name -> instrument_type (`reversed` or `linear`), filled by `symbols()`. */
const typeOf = new Map();

export default {
  venue: 'deribit',
  definition: deribit,
  golden: new URL('../../packages/exchange-deribit/test/golden/', import.meta.url),
  tardis: { trades: 'deribit' },
  /** Symbols by instrument type, so a variant keeps its unit (inverse amounts are USD). */
  symbols(reference) {
    const byType = {};
    for (const [path, body] of Object.entries(reference.rest)) {
      if (!path.startsWith('/api/v2/public/get_instruments')) continue;
      for (const instrument of body.result) {
        typeOf.set(instrument.instrument_name, instrument.instrument_type);
        (byType[instrument.instrument_type] ??= []).push(instrument.instrument_name);
      }
    }
    return byType;
  },
  /**
   * Only frames of liquidation trades: the live tape is mostly other trades, which both decoders skip
   * after one field test; this measures liquidations.
   */
  vary(message, _channel, v) {
    if (message.method !== 'subscription' || !Array.isArray(message.params?.data)) return undefined;
    for (const trade of message.params.data) {
      trade.instrument_name = v.symbol(typeOf.get(trade.instrument_name), trade.instrument_name);
      trade.price = v.decimal(trade.price);
      trade.index_price = v.decimal(trade.index_price);
      trade.amount = v.decimal(trade.amount);
      trade.timestamp = v.time(trade.timestamp);
      trade.trade_seq = v.time(trade.trade_seq);
    }
    return message;
  },
};
