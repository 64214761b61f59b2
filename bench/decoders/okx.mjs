/** Decoder benchmark entry: OKX `liquidation-orders` of SWAP and FUTURES instruments. */
import okx from '@liqmon/exchange-okx';

/** instId -> `instType:ctType` (SWAP:linear, FUTURES:inverse...), filled by `symbols()`. */
const kindOf = new Map();

export default {
  venue: 'okx',
  definition: okx,
  golden: new URL('../../packages/exchange-okx/test/golden/', import.meta.url),
  // One mapper for both instrument types: tardis-dev's OKX v5 mapper reads every liquidation-orders
  // message (it drops the first message it sees, a snapshot; the warm-up round takes that one).
  tardis: { public: 'okex-swap' },
  /** Symbols by instrument type and contract type, so a variant keeps its unit (inverse: USD contracts). */
  symbols(reference) {
    const byKind = {};
    for (const [path, body] of Object.entries(reference.rest)) {
      if (!path.startsWith('/api/v5/public/instruments')) continue;
      for (const instrument of body.data) {
        const kind = `${instrument.instType}:${instrument.ctType}`;
        kindOf.set(instrument.instId, kind);
        (byKind[kind] ??= []).push(instrument.instId);
      }
    }
    return byKind;
  },
  vary(message, _channel, v) {
    if (message.arg?.channel !== 'liquidation-orders' || !Array.isArray(message.data)) return undefined;
    for (const item of message.data) {
      item.instId = v.symbol(kindOf.get(item.instId), item.instId);
      for (const detail of item.details ?? []) {
        detail.bkPx = v.decimal(detail.bkPx);
        detail.sz = v.decimal(detail.sz);
        detail.ts = v.time(detail.ts);
      }
    }
    return message;
  },
};
