/**
 * The JSON `/healthz` answers, as a zod schema: the server builds it (health.ts) and `liqmon status`
 * parses it from the wire with the same definition, so the two cannot drift apart.
 */
import { z } from '@liqmon/core';

/** One source as `/healthz` reports it. */
export const sourceHealthSchema = z.object({
  /** True while at least one of its feeds is open. */
  connected: z.boolean(),
  /** Milliseconds since the source was last seen connected (absent while connected). */
  downForMs: z.number().optional(),
  /** Milliseconds since the last frame (absent before the first). */
  lastMessageAgeMs: z.number().optional(),
  reconnects: z.number(),
  /** Start failures retried by core. */
  restarts: z.number(),
  frames: z.number(),
  events: z.number(),
  malformed: z.number(),
  /** Liquidations dropped by core's checks (non-finite price, time far off, ...), every reason. */
  invalid: z.number().optional(),
  /** The same by reason (`price`, `notional_too_large`, `time`, ...). */
  invalidByReason: z.record(z.string(), z.number()).optional(),
  /** Frames dropped unread for being larger than the source's `maxFrameBytes`. */
  oversized: z.number().optional(),
  /** Frames skipped because their instrument is not in the source's instrument list yet (a refresh follows). */
  unknownInstrument: z.number().optional(),
  /** Open state per feed (`usdm`, `coinm`), when the source reports it. */
  feeds: z.record(z.string(), z.boolean()).optional(),
  /** Why it is not (fully) connected, in a few words (`cannot list instruments: ENOTFOUND`), secrets redacted. */
  lastFailure: z.string().optional(),
  healthy: z.boolean(),
  /** Why it is unhealthy, when it is. */
  problem: z.string().optional(),
});

/** One destination (chat, webhook) of a sink. */
export const destinationHealthSchema = z.object({
  state: z.enum(['ok', 'retrying', 'failed']),
  queueDepth: z.number(),
  sent: z.number(),
  failed: z.number(),
  lastError: z.string().optional(),
});

/** One sink as `/healthz` reports it. */
export const sinkHealthSchema = z.object({
  /** `failed` after a fatal error (the sink is stopped), `retrying` while a destination retries. */
  state: z.enum(['ok', 'retrying', 'failed']),
  /** Alerts waiting, all destinations together. */
  queueDepth: z.number(),
  /** Alerts delivered. */
  sent: z.number(),
  /** Alerts not delivered (every reason). */
  failed: z.number(),
  /** The latest failure's message, secrets redacted. */
  lastError: z.string().optional(),
  /** Milliseconds it has been retrying without a success (absent while it delivers). */
  failingForMs: z.number().optional(),
  destinations: z.record(z.string(), destinationHealthSchema),
  healthy: z.boolean(),
  problem: z.string().optional(),
});

/** The store (`store:` in the config), when it is not `false`. */
export const storeHealthSchema = z.object({
  /** `on`: storing; `paused`: the disk is full, retried later; `off`: failed for this run. */
  state: z.enum(['on', 'paused', 'off']),
  file: z.string(),
  /** Rows written since start. */
  written: z.number(),
  /** Liquidations not stored since start, by reason (`duplicate`, `full`, `corrupt`, ...); reasons with 0 left out. */
  notStored: z.record(z.string(), z.number()),
  /** Why it is paused or off, and the fix. */
  problem: z.string().optional(),
});

/** The outbox journal (the store's `outbox` table), when the store is not `false`. */
export const journalHealthSchema = z.object({
  /** `ok`: alerts are written before delivery; `failed`: a journal call failed (delivery goes on in memory); `off`: the store could not be opened. */
  state: z.enum(['ok', 'failed', 'off']),
  /** Alerts the last run left undelivered, queued again at start. */
  recovered: z.number(),
  /** Journal calls that failed since start. */
  failures: z.number(),
  /** Alerts (one per destination) written and not yet delivered or settled; absent when unreadable. */
  pending: z.number().optional(),
  /** The last failure, or why the journal is off. */
  lastError: z.string().optional(),
});

/** The cluster (`cluster:` in the config): this instance's role, the leader, the members. */
export const clusterHealthSchema = z.object({
  name: z.string(),
  /** This instance's name in the cluster. */
  instance: z.string(),
  /** `leader` delivers; a `follower` ingests and evaluates and takes over when the leader stops. */
  role: z.enum(['leader', 'follower']),
  /** The instance holding the lease (absent while none does). */
  leader: z.string().optional(),
  /** Milliseconds since the lease was last taken or renewed. */
  leaseAgeMs: z.number().optional(),
  /** Milliseconds the leader has held the lease. */
  leaderForMs: z.number().optional(),
  /** The lease time. */
  leaseMs: z.number(),
  connected: z.boolean(),
  /** Every instance whose heartbeat is fresh. */
  members: z.array(z.object({ instance: z.string(), host: z.string(), pid: z.number(), lastSeenMs: z.number() })),
  /** Alerts this instance published to the cluster's stream. */
  published: z.number(),
  /** Alerts waiting to be published (NATS unreachable). */
  unpublished: z.number(),
  /** Alerts the leader took from the stream and has not acknowledged yet. */
  inFlight: z.number(),
  lastError: z.string().optional(),
});

/** The whole `/healthz` body. */
export const healthReportSchema = z.object({
  status: z.enum(['ok', 'unhealthy']),
  version: z.string(),
  pid: z.number(),
  /** Milliseconds since the process started monitoring. */
  uptimeMs: z.number(),
  /** A source disconnected, or a sink failing, this long is unhealthy. */
  downAfterMs: z.number(),
  /**
   * How the sources stand in one line: `2 sources: binance connected (usdm, coinm); bybit not
   * connected, retrying (cannot list instruments: ENOTFOUND)`.
   */
  summary: z.string().optional(),
  sources: z.record(z.string(), sourceHealthSchema),
  sinks: z.record(z.string(), sinkHealthSchema),
  /** The store; absent with `store: false` (and in a dry run). Off or paused is not unhealthy. */
  store: storeHealthSchema.optional(),
  /** The outbox journal; absent with `store: false` (and in a dry run). Off or failed is not unhealthy. */
  journal: journalHealthSchema.optional(),
  /** The cluster; absent for a single instance. */
  cluster: clusterHealthSchema.optional(),
  /** One line per unhealthy source or sink. */
  problems: z.array(z.string()),
});

export type SourceHealthReport = z.infer<typeof sourceHealthSchema>;
export type SinkHealthReport = z.infer<typeof sinkHealthSchema>;
export type StoreHealthReport = z.infer<typeof storeHealthSchema>;
export type JournalHealthReport = z.infer<typeof journalHealthSchema>;
export type DestinationHealthReport = z.infer<typeof destinationHealthSchema>;
export type ClusterHealthReport = z.infer<typeof clusterHealthSchema>;
export type HealthReport = z.infer<typeof healthReportSchema>;
