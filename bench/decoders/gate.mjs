/** Decoder benchmark entry: Gate USDT (`linear`) and BTC-settled (`inverse`) `futures.public_liquidates`. */
import gate from '@liqmon/exchange-gate';

/** Contract names of the settle currency's pages of the reference data. */
const listed = (reference, settle) =>
  Object.entries(reference.rest)
    .filter(([path]) => path.startsWith(`/api/v4/futures/${settle}/contracts`))
    .flatMap(([, contracts]) => contracts.map((contract) => contract.name));

export default {
  venue: 'gate',
  definition: gate,
  golden: new URL('../../packages/exchange-gate/test/golden/', import.meta.url),
  // tardis-dev (13.35.3) has no liquidation mapper for `gate-io-futures`.
  tardis: null,
  symbols: (reference) => ({ linear: listed(reference, 'usdt'), inverse: listed(reference, 'btc') }),
  /** `result` is one item (older live frames) or a list (docs, and live frames since 2026-08-20). */
  vary(message, channel, v) {
    if (message.channel !== 'futures.public_liquidates' || message.event !== 'update' || typeof message.result !== 'object' || message.result === null) return undefined;
    const items = Array.isArray(message.result) ? message.result : [message.result];
    const contract = v.symbol(channel, items[0]?.contract);
    message.time_ms = v.time(message.time_ms);
    for (const item of items) {
      item.contract = contract;
      item.price = v.decimal(item.price);
      item.size = v.decimal(item.size);
      if (item.time !== undefined) item.time = v.time(item.time);
      if (item.time_ms !== undefined) item.time_ms = v.time(item.time_ms);
    }
    return message;
  },
};
