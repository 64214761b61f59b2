/**
 * The core keys of the config file (everything except plugin options, which each plugin's own schema
 * validates). Types of the validated config are inferred from here.
 */
import { z } from 'zod';
import { amount, duration, timeOfDay } from './units.js';

/** A value or a list of values; output: always a list. */
const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.union([item, z.array(item).min(1)]).transform((value) => (Array.isArray(value) ? value : [value]) as z.output<T>[]);

const NAME_RE = /^[A-Za-z0-9][\w.-]*$/;

/** Fields a rule can match on. `symbol` takes globs (`*USDT`, `BTC*`); the others exact values. */
const matchFields = {
  exchange: oneOrMany(z.string()).optional(),
  market: oneOrMany(z.string()).optional(),
  symbol: oneOrMany(z.string()).optional().meta({ description: 'Symbols or globs, e.g. BTCUSDT, *USDT, 1000*' }),
  base: oneOrMany(z.string()).optional(),
  quote: oneOrMany(z.string()).optional(),
  side: oneOrMany(z.enum(['long', 'short'])).optional(),
  source: oneOrMany(z.string()).optional(),
};

/** `match:` of a rule. Every given field must fit; `not:` excludes events that fit all of its fields. */
export const matchSchema = z.strictObject({
  ...matchFields,
  not: z.strictObject(matchFields).optional(),
});

/** Fields an `aggregate.by` can group cascades by. */
export const AGGREGATE_KEYS = ['exchange', 'market', 'symbol', 'base', 'quote', 'side', 'source'] as const;

/** `aggregate:` of a rule: a rolling window that becomes one cascade alert when it reaches the bar. */
export const aggregateSchema = z.strictObject({
  window: duration(),
  /** `[]` is one window over every event the rule owns (the whole market, both sides). */
  by: z
    .union([z.enum(AGGREGATE_KEYS), z.array(z.enum(AGGREGATE_KEYS))])
    .transform((value) => (Array.isArray(value) ? value : [value]))
    .default(['base', 'side']),
  minUsd: amount().optional(),
  minCount: z.number().int().positive().optional(),
});

/** Shortest `summary.every`: a summary more often than once a minute is a stream, not a summary. */
export const SUMMARY_MIN_EVERY_MS = 60_000;

/** Most entries a summary lists per ranking (top base assets, exchanges). */
export const SUMMARY_MAX_TOP = 20;

/**
 * `summary:` of a rule: instead of alerting per event, send the statistics of each period (UTC) of the
 * events the rule's `match` and `minUsd` select. Periods end at `at` plus whole multiples of `every`,
 * counted from 1970-01-01 (so `every: 1h, at: "00:30"` ends one at every half past).
 */
export const summarySchema = z.strictObject({
  every: duration().refine((ms) => ms >= SUMMARY_MIN_EVERY_MS, {
    message: 'a summary can come at most once a minute; write every: 1m or more, e.g. 1h, 4h or 1d',
  }),
  /** Time of day (UTC) a period ends, `HH:MM`. @default "00:00" */
  at: timeOfDay().default('00:00'),
  /** Base assets (and exchanges) listed by size. @default 5 */
  top: z.number().int().min(1).max(SUMMARY_MAX_TOP).default(5),
});

/** One rule of the chain. */
export const ruleSchema = z.strictObject({
  name: z.string().regex(NAME_RE, 'use letters, digits, "-", "_" or "."'),
  match: matchSchema.optional(),
  minUsd: amount().optional(),
  maxUsd: amount().optional(),
  aggregate: aggregateSchema.optional(),
  cooldown: duration().optional(),
  /** Send the statistics of each period instead of alerts; such a rule never owns events (docs/rules.md). */
  summary: summarySchema.optional().meta({ description: 'Send the statistics of each period instead of alerts: every (1h, 4h, 1d), at ("HH:MM" UTC), top' }),
  continue: z.boolean().default(false),
  /** Sinks to deliver to. `to: []` is allowed (a rule that silences what it owns) and warned about. */
  to: z.union([z.string(), z.array(z.string())]).transform((value) => (Array.isArray(value) ? value : [value])).default([]),
});

/** A plugin instance entry: `use` plus the plugin's own options (validated by the plugin's schema). */
export const pluginEntrySchema = z.looseObject({
  use: z.string().min(1).meta({ description: 'Built-in alias (binance, bybit, telegram, discord, console), npm package name, or ./path.js' }),
  enabled: z.boolean().default(true).meta({ description: 'Set false to keep the entry but not run it' }),
});

/** Logging. */
export const logSchema = z.strictObject({
  level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
});

/** Words of summary alerts: `24h: $1.24B liquidated, 68% longs`. */
export const summaryWordingSchema = z.strictObject({
  emoji: z.string().default('📊'),
  liquidated: z.string().default('liquidated'),
  longs: z.string().default('longs'),
  shorts: z.string().default('shorts'),
  noLiquidations: z.string().default('no liquidations'),
  /** After the amount of a summary with `minUsd`: `of $100K or more`. */
  orMore: z.string().default('or more'),
  top: z.string().default('Top'),
  exchanges: z.string().default('Exchanges'),
  /** The exchanges or bases beyond the listed ones. */
  others: z.string().default('others'),
  sizes: z.string().default('Sizes'),
  min: z.string().default('min'),
  median: z.string().default('median'),
  average: z.string().default('average'),
  max: z.string().default('max'),
  period: z.string().default('Period'),
  /** Said when counting began after the period's start (liqmon started during it, no store). */
  countedFrom: z.string().default('counted from'),
});

/** Words the formatter uses; change them to translate or shorten messages. */
export const wordingSchema = z.strictObject({
  long: z.string().default('Long liquidated'),
  short: z.string().default('Short liquidated'),
  longCascade: z.string().default('long cascade'),
  shortCascade: z.string().default('short cascade'),
  cascade: z.string().default('cascade'),
  /** Title of a cascade keyed by nothing but (at most) the side: `by: []` or `by: side`. */
  allMarkets: z.string().default('all markets'),
  liquidations: z.string().default('liquidations'),
  more: z.string().default('more'),
  inTotal: z.string().default('in total'),
  largest: z.string().default('Largest'),
  /** Label of a price whose kind is unknown or mixed (a cascade across venues). */
  price: z.string().default('Price'),
  /** Label of an average fill price (`priceKind: fill`, Binance). */
  fillPrice: z.string().default('Avg fill price'),
  /** Label of a bankruptcy price (`priceKind: bankruptcy`, Bybit). */
  bankruptcyPrice: z.string().default('Bankruptcy price'),
  /** Label of an order price (`priceKind: order`). */
  orderPrice: z.string().default('Order price'),
  /** Said once per message after the names of the sampled exchanges behind its totals. */
  sampled: z.string().default('only a sample of liquidations is reported, so totals are a lower bound'),
  size: z.string().default('Size'),
  time: z.string().default('Time'),
  /** Words of summary alerts (rules with `summary:`). */
  summary: summaryWordingSchema.prefault({}),
});

/** `format:`: how core's formatter writes alerts, for every sink. */
export const formatSchema = z.strictObject({
  /** Emoji per base asset, merged over the defaults (BTC 🟠, ETH 🔵, SOL 🟣). */
  coinEmoji: z.record(z.string(), z.string()).default({}).meta({ description: 'Emoji per base asset, e.g. { BTC: "🟠", DOGE: "🐕" }' }),
  /** Emoji for bases without one. */
  defaultCoinEmoji: z.string().default('⚪'),
  /** Emoji of a cascade whose liquidations are of several base assets (a key without `base`, e.g. `by: []`). */
  mixedCoinEmoji: z.string().default('🌊'),
  /** Tag shown per exchange; default: the exchange name in capitals. */
  exchangeTags: z.record(z.string(), z.string()).default({}),
  /**
   * One skull per `step` USD, at most `max` (0 turns skulls off). From `large.step` on, one `large.emoji`
   * per `large.step` (at most `large.max`; 0 turns them off) followed by the skulls of the rest.
   */
  skull: z
    .strictObject({
      emoji: z.string().default('💀'),
      step: amount().prefault('100k'),
      max: z.number().int().nonnegative().default(10),
      large: z
        .strictObject({
          emoji: z.string().default('☠️'),
          step: amount().prefault('1M'),
          max: z.number().int().nonnegative().default(10),
        })
        .prefault({}),
    })
    .prefault({}),
  wording: wordingSchema.prefault({}),
  /** Show the UTC date as well as the time (useful when replaying old recordings). */
  showDate: z.boolean().default(false),
});

/**
 * `delivery:`: outboxes of every sink. The retry defaults live here and only here (docs/delivery.md).
 */
export const deliverySchema = z.strictObject({
  /** Alerts waiting per destination before the oldest fold into a digest. */
  queueSize: z.number().int().min(2).default(1000),
  /** Tries per message for retryable failures; 0 = until it succeeds (overflow folds, so memory stays bounded). */
  maxAttempts: z.number().int().nonnegative().default(0),
  backoff: z
    .strictObject({
      /** Wait after the first failure. */
      min: duration().prefault('1s'),
      /** Longest wait between tries (a server's retry-after may ask for more, and is honoured). */
      max: duration().prefault('60s'),
      /** Growth per failed try. */
      factor: z.number().min(1).default(2),
      /** Random part of each wait: the wait is drawn from [(1 - jitter) x d, d]. */
      jitter: z.number().min(0).max(1).default(0.5),
    })
    .prefault({}),
  /** A send that has not settled after this long is aborted and retried. */
  sendTimeout: duration().prefault('30s'),
  /** Most alerts merged into one message; overrides the sink's own limit when lower. */
  maxAlertsPerMessage: z.number().int().positive().optional(),
  /**
   * Alerts found undelivered in the store's outbox at start that are older than this go out as one
   * digest per destination instead of as stale single alerts.
   */
  maxAge: duration().prefault('1h'),
});

/** Shortest `http.token`: long enough that guessing it over the network is hopeless. */
export const MIN_HTTP_TOKEN_LENGTH = 16;

/** True for an address only this machine can reach (`127.0.0.0/8`, `::1`, `localhost`). */
export function isLoopbackHost(host: string): boolean {
  return host === '::1' || host === 'localhost' || host.startsWith('127.') || host === '::ffff:127.0.0.1';
}

/**
 * `http:`: the optional operations server (`/healthz`, `/metrics`, the dashboard and its API;
 * docs/operations.md, docs/dashboard.md). Absent = no server. Loopback by default; bound to any other
 * address it requires `token` (docs/security.md).
 */
export const httpSchema = z
  .strictObject({
  /** TCP port; 0 picks a free one (logged, and recorded in the lock file for `liqmon status`). */
  port: z
    .union([z.number(), z.string().regex(/^\d+$/, 'expected a port number such as 9464')])
    .transform(Number)
    .pipe(z.number().int().min(0).max(65535))
    .meta({ description: 'TCP port of /healthz and /metrics (0 = any free port)' }),
  /** Address to bind. `0.0.0.0` exposes it to the network (e.g. inside a container). */
  host: z.string().min(1).default('127.0.0.1'),
  /** A source disconnected for longer than this makes `/healthz` answer 503. */
  downAfter: duration().prefault('60s'),
  /**
   * Required on any address but loopback: every route but `/healthz` then needs it (`?token=` once,
   * kept in a cookie; or `Authorization: Bearer`). Give it from the environment: `"${LIQMON_HTTP_TOKEN}"`.
   */
  token: z
    .string()
    .min(MIN_HTTP_TOKEN_LENGTH, `the token must be at least ${MIN_HTTP_TOKEN_LENGTH} characters long (generate one with: openssl rand -hex 24)`)
    .optional()
    .meta({ description: 'Token required by the dashboard, its API and /metrics (required when host is not loopback)' }),
  })
  .superRefine((http, context) => {
    if (http.token === undefined && !isLoopbackHost(http.host)) {
      context.addIssue({
        code: 'custom',
        path: ['host'],
        message: `${http.host} is reachable from other machines, so http.token is required: add token: "\${LIQMON_HTTP_TOKEN}" to http and set LIQMON_HTTP_TOKEN (openssl rand -hex 24), or bind to 127.0.0.1`,
      });
    }
  });

/** The longest `store.retention`: ten years (retention only compares times, it never waits on a timer). */
export const MAX_RETENTION_MS = 3650 * 86_400_000;

/**
 * `store:`: the embedded history of every liquidation (docs/store.md). On unless `store: false`.
 */
export const storeSchema = z.union([
  z.literal(false).meta({ description: 'false turns the store off' }),
  z.strictObject({
    /** The database file; relative paths are from the config's folder. @default `liqmon.db` beside the config */
    path: z.string().min(1).optional().meta({ description: 'Database file (default: liqmon.db beside the config)' }),
    /** Liquidations older than this (by their exchange time) are deleted; 0 keeps everything. */
    retention: duration(MAX_RETENTION_MS).prefault('30d'),
  }),
]);

/** A NATS server URL (`nats://`, `tls://`, `ws://`, `wss://`). */
const natsUrl = z
  .string()
  .regex(/^(nats|tls|ws|wss):\/\/[^\s]+$/, { error: 'must be a NATS server URL such as nats://127.0.0.1:4222 or tls://nats.example.com:4222' });

/**
 * `cluster:`: several instances with the same config run as one (docs/scaling.md): they elect a leader
 * through a JetStream KV lease, every instance ingests and evaluates, only the leader delivers. Absent =
 * a single instance. `pass` and `token` are secrets: write them as `${ENV}` references.
 */
export const clusterSchema = z
  .strictObject({
    /** NATS servers (one URL or a list). */
    nats: oneOrMany(natsUrl).meta({ description: 'NATS server URL or list of URLs, e.g. nats://nats:4222' }),
    /** The cluster's name: instances with the same name and servers form one cluster. */
    name: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,32}$/, { error: 'must be letters, digits, _ and - only, at most 32, e.g. prod' })
      .meta({ description: 'Cluster name: letters, digits, _ and -' }),
    /** How long a leader's lease lasts without renewal; renewed every third of it. */
    lease: duration().prefault('10s').pipe(z.number().min(3_000, 'must be at least 3s')),
    /** This instance's name in the cluster. @default `<hostname>-<pid>` */
    instance: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'must be letters, digits, _ and - only, at most 64' })
      .optional()
      .meta({ description: 'Name of this instance in the cluster (default <hostname>-<pid>)' }),
    /** NATS user name (with `pass`). */
    user: z.string().min(1).optional(),
    /** NATS password (with `user`); a secret. */
    pass: z.string().min(1).optional(),
    /** NATS auth token (instead of user/pass); a secret. */
    token: z.string().min(1).optional(),
  })
  .superRefine((value, ctx) => {
    if ((value.user === undefined) !== (value.pass === undefined)) {
      ctx.addIssue({ code: 'custom', path: [value.user === undefined ? 'user' : 'pass'], message: 'give both user and pass, or neither' });
    }
    if (value.token !== undefined && value.user !== undefined) ctx.addIssue({ code: 'custom', path: ['token'], message: 'give either token or user/pass, not both' });
  });

/** The core keys of the config file. Plugin entries are validated further by their plugins. */
export const coreConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  sources: z.record(z.string().regex(NAME_RE), pluginEntrySchema).default({}),
  sinks: z.record(z.string().regex(NAME_RE), pluginEntrySchema).default({}),
  rules: z.array(ruleSchema).default([]),
  /** Drop a liquidation seen again (same id) within this window. */
  dedupeWindow: duration().default(60_000),
  /** How long shutdown waits for sink queues to drain. */
  shutdownTimeout: duration().default(10_000),
  log: logSchema.default({ level: 'info' }),
  format: formatSchema.prefault({}),
  delivery: deliverySchema.prefault({}),
  /** Operations server; off unless set (ops/). */
  http: httpSchema.optional(),
  /** The store: `{ path, retention }`, or `false`; on by default. */
  store: storeSchema.prefault({}),
  /** Run as one of several instances (one leader delivers); absent = a single instance. */
  cluster: clusterSchema.optional(),
});

export type CoreConfig = z.output<typeof coreConfigSchema>;
export type RuleConfig = z.output<typeof ruleSchema>;
export type MatchConfig = z.output<typeof matchSchema>;
export type AggregateConfig = z.output<typeof aggregateSchema>;
export type SummaryConfig = z.output<typeof summarySchema>;
export type FormatConfig = z.output<typeof formatSchema>;
/** `format.wording`: the words of alerts. */
export type Wording = z.output<typeof wordingSchema>;
export type DeliveryConfig = z.output<typeof deliverySchema>;
export type HttpConfig = z.output<typeof httpSchema>;
export type StoreConfig = z.output<typeof storeSchema>;
export type ClusterConfig = z.output<typeof clusterSchema>;
