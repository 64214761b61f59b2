/** Decoder benchmark entry: Kraken Futures liquidation trades (`PF_` linear, `PI_`/`FI_` inverse). */
import kraken from '@liqmon/exchange-kraken';

/** product -> instrument type, filled by `symbols()`. */
const typeOf = new Map();

export default {
  venue: 'kraken',
  definition: kraken,
  golden: new URL('../../packages/exchange-kraken/test/golden/', import.meta.url),
  tardis: { trade: 'cryptofacilities' },
  /** Symbols by instrument type, so a variant keeps its unit (inverse quantities are USD). */
  symbols(reference) {
    const byType = {};
    for (const instrument of reference.rest['/derivatives/api/v3/instruments'].instruments) {
      typeOf.set(instrument.symbol, instrument.type);
      (byType[instrument.type] ??= []).push(instrument.symbol);
    }
    return byType;
  },
  vary(message, _channel, v) {
    if (message.feed !== 'trade' || message.type !== 'liquidation') return undefined;
    message.product_id = v.symbol(typeOf.get(message.product_id), message.product_id);
    message.price = v.decimal(message.price);
    message.qty = v.decimal(message.qty);
    message.time = v.time(message.time);
    message.seq = v.time(message.seq);
    return message;
  },
};
