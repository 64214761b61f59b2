/** Decoder benchmark entry: Bitget `liquidation` pushes of USDT-, USDC- and coin-margined futures. */
import bitget from '@liqmon/exchange-bitget';

export default {
  venue: 'bitget',
  definition: bitget,
  golden: new URL('../../packages/exchange-bitget/test/golden/', import.meta.url),
  // tardis-dev (13.35.3) has no liquidation mapper for `bitget-futures`.
  tardis: null,
  /** Symbols by product type as the push names it (`usdt-futures`), from the REST category (`USDT-FUTURES`). */
  symbols(reference) {
    const byInstType = {};
    for (const [path, body] of Object.entries(reference.rest)) {
      const category = /category=([A-Z-]+)/.exec(path)?.[1];
      if (!category) continue;
      byInstType[category.toLowerCase()] = body.data.map((instrument) => instrument.symbol);
    }
    return byInstType;
  },
  vary(message, _channel, v) {
    if (message.action !== 'update' || message.arg?.topic !== 'liquidation' || !Array.isArray(message.data)) return undefined;
    message.ts = v.time(message.ts);
    for (const item of message.data) {
      item.symbol = v.symbol(message.arg.instType, item.symbol);
      item.price = v.decimal(item.price);
      item.amount = v.decimal(item.amount);
      item.ts = v.time(item.ts);
    }
    return message;
  },
};
