/** Decoder benchmark entry: Bitfinex `status` `liq:global` frames, in the raw websocket array form. */
import bitfinex from '@liqmon/exchange-bitfinex';

/** USD-quoted symbols of the golden frames (no reference data: the decoder needs none). */
const USD_SYMBOLS = ['tBTCF0:USTF0', 'tETHF0:USTF0', 'tSOLF0:USTF0', 'tETHUSD', 'tDOGE:UST'];

export default {
  venue: 'bitfinex',
  definition: bitfinex,
  golden: new URL('../../packages/exchange-bitfinex/test/golden/', import.meta.url),
  // Not compared with tardis-dev's `bitfinex-derivatives` mapper: it recognises an array message by a
  // channel name in the shape tardis records, or by the channel id of a `subscribed` reply it has seen;
  // the live `[CHAN_ID, ROWS]` frames alone map to nothing. And where it maps, it emits the trigger rows
  // (IS_MATCH 0, at the position's entry price), where liqmon emits the execution rows (IS_MATCH 1, at
  // the price acquired): not the same events (docs/performance.md, "Decoders").
  tardis: null,
  symbols: () => ({ liq: USD_SYMBOLS }),
  /** Rows keep their IS_MATCH flags; a frame's rows share one symbol and position (a trigger and its execution). */
  vary(message, channel, v) {
    if (!Array.isArray(message) || !Array.isArray(message[1])) return undefined;
    const rows = message[1][0] === 'pos' ? [message[1]] : message[1];
    const symbol = v.symbol(channel, rows[0]?.[4]);
    const posId = Math.floor(v.random() * 1e9);
    for (const row of rows) {
      if (!Array.isArray(row) || row[0] !== 'pos') continue;
      row[1] = posId;
      row[2] = v.time(row[2]);
      row[4] = symbol;
      row[5] = v.decimal(row[5]);
      row[6] = v.decimal(row[6]);
      if (typeof row[11] === 'number') row[11] = v.decimal(row[11]);
    }
    return message;
  },
};
