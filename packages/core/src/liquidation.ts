/**
 * The normalized liquidation event: every source turns its exchange's frames into these.
 * Field names and meanings are the public contract fixed in DESIGN.md.
 */
export interface Liquidation {
  /**
   * Stable key for this liquidation. The same exchange frame seen twice (after a reconnect, or by two
   * sources watching one exchange) yields the same id, so dedupe can drop the copy.
   */
  id: string;
  /** Exchange name, lowercase: `binance`, `bybit`, ... */
  exchange: string;
  /** Product line of the exchange: `usdm`, `coinm` (Binance), `linear`, `inverse` (Bybit). */
  market: string;
  /** Exchange-native symbol exactly as sent (`BTCUSDT`, `BTCUSD_PERP`, `1000PEPEUSDT`); may be non-ASCII. */
  symbol: string;
  /** Base asset (`BTC`, `1000PEPE`), from the exchange's instrument data where it provides it. */
  base: string;
  /** Quote asset (`USDT`, `USD`), from the exchange's instrument data where it provides it. */
  quote: string;
  /**
   * Side of the liquidated POSITION. Exchanges differ: Binance sends the liquidation order's side
   * (SELL closes a long), Bybit sends the position side (Buy means a long was liquidated).
   */
  side: LiquidationSide;
  /** The price the exchange reports for this liquidation; `priceKind` says which price it is. */
  price: number;
  /** What `price` is: an average fill price (Binance `ap`), a bankruptcy price (Bybit `p`), or an order price. */
  priceKind: PriceKind;
  /** Size in base-asset units; contract counts are converted. */
  quantity: number;
  /**
   * USD value: quantity x price for linear contracts; contracts x contract size (in USD) for inverse ones.
   */
  notionalUsd: number;
  /** Exchange time of the liquidation, milliseconds since the Unix epoch. */
  time: number;
  /** Local time the frame was received, milliseconds since the Unix epoch. */
  receivedAt: number;
  /** True where the feed publishes only a sample (Binance: at most one liquidation per symbol per second). */
  sampled: boolean;
  /** The config name of the source instance that emitted this event. */
  source: string;
}

/** Side of a liquidated position. */
export type LiquidationSide = 'long' | 'short';

/** What kind of price a {@link Liquidation.price} is. */
export type PriceKind = 'fill' | 'bankruptcy' | 'order';

/** Keys of {@link Liquidation} in contract order; used to validate recordings and plugin output. */
export const LIQUIDATION_FIELDS = [
  'id',
  'exchange',
  'market',
  'symbol',
  'base',
  'quote',
  'side',
  'price',
  'priceKind',
  'quantity',
  'notionalUsd',
  'time',
  'receivedAt',
  'sampled',
  'source',
] as const satisfies readonly (keyof Liquidation)[];
