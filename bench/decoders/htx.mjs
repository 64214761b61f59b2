/** Decoder benchmark entry: HTX USDT-margined `liquidation_orders` notifications (swaps and futures). */
import htx from '@liqmon/exchange-htx';

/** contract_code -> `contract_type` and `contract_size`, filled by `symbols()`. */
const contractOf = new Map();

/** `value` as the same JSON type as `like` (HTX sends numbers; some frames carry numeric strings). */
const asTypeOf = (like, value) => (typeof like === 'string' ? String(value) : value);

export default {
  venue: 'htx',
  definition: htx,
  golden: new URL('../../packages/exchange-htx/test/golden/', import.meta.url),
  // The frames as liqmon reads them, inflated from HTX's gzip binary: the JSON that tardis-dev's HTX
  // mapper reads too (`op: notify`, topic ending in `.liquidation_orders`).
  tardis: { notification: 'huobi-dm-linear-swap' },
  /** Contracts by contract type (swap, this_week, quarter...), so a variant keeps its kind. */
  symbols(reference) {
    const byType = {};
    for (const [path, body] of Object.entries(reference.rest)) {
      if (!path.startsWith('/linear-swap-api/v1/swap_contract_info')) continue;
      for (const contract of body.data) {
        contractOf.set(contract.contract_code, contract);
        (byType[contract.contract_type] ??= []).push(contract.contract_code);
      }
    }
    return byType;
  },
  /** Price and contracts move; base amount and turnover follow them (the decoder reads both). */
  vary(message, _channel, v) {
    if (message.op !== 'notify' || typeof message.topic !== 'string' || !message.topic.endsWith('.liquidation_orders') || !Array.isArray(message.data)) return undefined;
    const listed = contractOf.get(message.data[0]?.contract_code);
    const code = listed ? v.symbol(listed.contract_type, listed.contract_code) : message.data[0]?.contract_code;
    const contract = contractOf.get(code);
    message.topic = `public.${code}.liquidation_orders`;
    message.ts = v.time(message.ts);
    for (const order of message.data) {
      if (contract) {
        order.contract_code = code;
        order.symbol = contract.symbol;
        if (order.pair !== undefined) order.pair = contract.pair;
      }
      order.price = v.decimal(order.price);
      order.volume = v.decimal(order.volume);
      order.created_at = v.time(order.created_at);
      const size = contract?.contract_size;
      if (order.amount !== undefined && size !== undefined) order.amount = asTypeOf(order.amount, Number((Number(order.volume) * size).toPrecision(12)));
      if (order.trade_turnover !== undefined && order.amount !== undefined) {
        order.trade_turnover = asTypeOf(order.trade_turnover, Number((Number(order.amount) * Number(order.price)).toPrecision(12)));
      }
    }
    return message;
  },
};
