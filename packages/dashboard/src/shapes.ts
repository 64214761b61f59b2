/**
 * The JSON the dashboard API and its event stream carry (docs/dashboard.md). Shared by the server and
 * the page's script, so the two cannot drift apart; nothing here may import Node.js modules.
 */

/** A liquidation as the API sends it: core's normalized `Liquidation`, field for field. */
export interface LiquidationView {
  id: string;
  exchange: string;
  market: string;
  symbol: string;
  base: string;
  quote: string;
  side: 'long' | 'short';
  price: number;
  priceKind: 'fill' | 'bankruptcy' | 'order';
  quantity: number;
  notionalUsd: number;
  time: number;
  receivedAt: number;
  sampled: boolean;
  source: string;
}

/** Where an alert stands at one sink. */
export type DeliveryOutcome = 'pending' | 'sent' | 'failed';

/** One sink's delivery of an alert. */
export interface AlertDelivery {
  sink: string;
  outcome: DeliveryOutcome;
  /** The latest failure's message, secrets redacted (while retrying or after giving up). */
  error?: string;
}

/**
 * An alert as the API sends it: what the rule decided (rule, kind, tallies) and where it went. The
 * liquidations behind it are summed up, not listed (a cascade can hold thousands).
 */
export interface AlertView {
  /** Unique within the running instance. */
  id: string;
  rule: string;
  kind: 'liquidation' | 'cascade' | 'digest' | 'summary';
  /** Local time the rule produced it, ms since epoch. */
  createdAt: number;
  /** Liquidations behind it and their USD total. */
  count: number;
  totalUsd: number;
  /** Exchange time of the first and last of them, ms since epoch (a summary: its period). */
  firstTime: number;
  lastTime: number;
  /** A cascade's `aggregate.by` values (`{ base: 'BTC', side: 'long' }`). */
  key?: Record<string, string>;
  /** The largest liquidation behind it (the only one of a single-liquidation alert). */
  largest?: LiquidationView;
  /** One entry per sink in the rule's `to` that is running. */
  deliveries: AlertDelivery[];
}

/** A delivery outcome changed: sent with the SSE event `delivery`. */
export interface DeliveryUpdate {
  alertId: string;
  delivery: AlertDelivery;
}

/** One minute (or `stepMs`) of the chart: liquidated USD by side. */
export interface SeriesPoint {
  /** Start of the step, ms since epoch. */
  time: number;
  longUsd: number;
  shortUsd: number;
}

/** `GET /api/series`: liquidated USD per step, oldest first, empty steps included. */
export interface SeriesView {
  since: number;
  until: number;
  stepMs: number;
  points: SeriesPoint[];
}

/** The body of every 4xx/5xx answer of the API. */
export interface ApiError {
  error: string;
}
