/**
 * The plugin contract. A plugin package default-exports what `defineSource` or `defineSink` returns;
 * `use:` in the config loads it by alias, package name or path. Plugins import only `@liqmon/core`
 * (a peer dependency) and build their option schemas with the `z` it re-exports, so that the schema
 * library is the one core validates with.
 */
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Alert } from './alert.js';
import type { Formatter } from './format/index.js';
import type { Liquidation } from './liquidation.js';
import { CORE_VERSION, PLUGIN_API_VERSION } from './version.js';

/** Marks a plugin definition; a global symbol so that two copies of core recognise each other's plugins. */
export const kPlugin: unique symbol = Symbol.for('liqmon.plugin') as never;

/** Recorded in every definition: which core the plugin was defined with. */
export interface PluginStamp {
  /** Plugin API generation ({@link PLUGIN_API_VERSION}) of the core the plugin was built with. */
  api: number;
  /** Version of that core. */
  coreVersion: string;
}

/** An object schema for a plugin's options. Core rejects unknown keys, so plain `z.object` is fine. */
export type OptionsSchema = z.ZodObject;

/** Values that must never appear in logs or error messages; core replaces them with `[redacted]`. */
export interface SecretRegistry {
  /** Register a secret value (a token, a webhook URL or its token part). Empty strings are ignored. */
  add(value: string | undefined): void;
}

/** What every plugin instance gets from core. */
export interface PluginContext {
  /** The instance's name in the config (`sources.<name>` / `sinks.<name>`). */
  readonly name: string;
  /** A pino child logger bound to this instance; secrets are redacted from every line. */
  readonly logger: Logger;
  /** Aborted when the instance is being stopped; pass it to timers, fetches and sockets. */
  readonly signal: AbortSignal;
  /** Register secret values to redact. Option keys listed in the definition's `secrets` are registered already. */
  readonly secrets: SecretRegistry;
}

// ---------------------------------------------------------------------------------------------------
// Sources
// ---------------------------------------------------------------------------------------------------

/**
 * A source's reference data: what {@link SourceInstance.reference} returns (a JSON-serialisable value)
 * and {@link SourceInstance.prepare} accepts back. Its shape is the plugin's own; keep it small (names
 * and numbers, no raw REST answers) and version it inside if it may change. It is `unknown` because on
 * the way back it comes from a file: `prepare` must check its shape like any other input.
 */
export type ReferenceData = unknown;

/** One message as a source received it, before decoding. This is what `liqmon record` writes. */
export interface RawFrame {
  /**
   * Which feed of the source the frame came from, so the decoder knows how to read it
   * (for example `usdm` or `coinm` for Binance, `linear` or `inverse` for Bybit).
   */
  channel: string;
  /** The frame's text exactly as received. */
  data: string;
  /** Local receive time, ms since epoch. */
  receivedAt: number;
}

/** Context of a source instance. */
export interface SourceContext extends PluginContext {
  /**
   * Hand a received frame to core. Core records it (under `liqmon record`), decodes it with the
   * instance's {@link SourceInstance.decode}, logs and counts frames that fail to decode, and routes the
   * resulting liquidations. Never throws.
   */
  frame(frame: RawFrame): void;
  /**
   * Largest frame to accept, in bytes (the entry's `maxFrameBytes`, default 1 MiB). Pass it to core's
   * WebSocket client as `maxFrameBytes`; core also drops larger frames handed to `frame` unread.
   */
  readonly maxFrameBytes: number;
  /**
   * Count a frame dropped unread for its size: wire it to the WebSocket client's `onOversized` so that
   * `/healthz` and the logs show it.
   */
  frameTooLarge(): void;
}

/** Health a source reports for logs, `/healthz` and `liqmon status`. */
export interface SourceHealth {
  /** True while at least one feed connection is open and subscribed. */
  connected: boolean;
  /** Local time of the last frame received, ms since epoch. */
  lastMessageAt?: number;
  /** Reconnects since start. */
  reconnects: number;
  /** Free-form details per connection. */
  details?: Readonly<Record<string, unknown>>;
  /**
   * Open state per feed (`{ usdm: true, coinm: false }`), for the one-line status summary
   * ("binance connected (usdm, coinm)").
   */
  feeds?: Readonly<Record<string, boolean>>;
  /**
   * Why it is not (fully) connected, in a few words without a stack (`cannot connect: ENOTFOUND`);
   * `failureText` from `@liqmon/core` writes it.
   */
  problem?: string;
}

/** A running source. */
export interface SourceInstance {
  /**
   * Load what decoding needs (instrument lists, contract sizes). Called once before `start`, and before
   * a replay of raw frames. Failures should fall back with a warning rather than throw.
   *
   * When `reference` is given (a value an instance of the same plugin returned from
   * {@link SourceInstance.reference}, for example read back from a recording), use it and do no I/O:
   * replays and tests then decode offline exactly as the live run did.
   */
  prepare?(reference?: ReferenceData): Promise<void>;
  /**
   * The reference data `decode` uses right now, as plain JSON (instrument names, contract sizes,
   * multipliers). `liqmon record` writes it into the recording so that a replay needs no network.
   * Undefined before `prepare` has loaded anything.
   */
  reference?(): ReferenceData;
  /**
   * Reload the reference data from the venue. Core calls it after `decode` threw
   * {@link UnknownInstrumentError} (a new listing), at most once a minute per source; the source may
   * also refresh on its own schedule. Should not throw: log and keep the old data on failure.
   */
  refresh?(): Promise<void>;
  /** Connect and begin handing frames to `context.frame`. Resolves once the feeds are subscribed. */
  start(): Promise<void>;
  /** Close connections and timers. Must be safe to call twice. */
  stop(): Promise<void>;
  /**
   * Decode one raw frame into zero or more liquidations. Return `[]` for frames that are not
   * liquidations (acks, pongs); throw {@link MalformedFrameError} for frames that cannot be read, and
   * {@link UnknownInstrumentError} for a liquidation of an instrument the reference data does not list
   * (never guess a contract size or a USD value).
   * The same function serves live frames and recorded ones.
   */
  decode(frame: RawFrame): readonly Liquidation[];
  /** Current health. */
  health?(): SourceHealth;
}

/**
 * What the events of a source instance carry in `exchange` and `market`. `liqmon validate` uses it to
 * warn about a rule that matches a value no configured source produces (`exchange: binanse`).
 */
export interface SourceProduces {
  /** The `exchange` of every event, lowercase (`binance`). */
  exchange: string;
  /** Every `market` the instance can emit with its options (`['usdm', 'coinm']`). */
  markets: readonly string[];
}

/** A source plugin as `defineSource` returns it. */
export interface SourceDefinition<O extends OptionsSchema = OptionsSchema> {
  readonly [kPlugin]: PluginStamp;
  readonly kind: 'source';
  /** Plugin name, e.g. `binance`. Used in logs and errors. */
  readonly name: string;
  /** One line on what the plugin watches. */
  readonly description?: string;
  /** Options schema; every key a user may write under the source besides `use`. */
  readonly options: O;
  /** Option keys whose values are secrets (redacted everywhere). */
  readonly secrets?: readonly (keyof z.output<O> & string)[];
  /**
   * Optional: the exchange and markets an instance with these options emits. Without it, `validate`
   * cannot tell whether a rule's `match.exchange` or `match.market` is a typo, and does not check them.
   */
  produces?(options: z.output<O>): SourceProduces;
  /** Build an instance from validated options. Must not do I/O: `prepare`/`start` do. */
  create(options: z.output<O>, context: SourceContext): SourceInstance;
}

// ---------------------------------------------------------------------------------------------------
// Sinks
// ---------------------------------------------------------------------------------------------------

/** Context of a sink instance. */
export interface SinkContext extends PluginContext {
  /**
   * Core's formatter, configured by the `format:` section: render alerts with it (plain text, Telegram
   * MarkdownV2 or HTML, Discord embeds) rather than building message text by hand.
   */
  readonly formatter: Formatter;
}

/** Limits that decide how many alerts core merges into one message for a sink. */
export interface SinkLimits {
  /** Largest message the sink accepts, in the unit `measure` returns. */
  maxMessageSize?: number;
  /** Most alerts merged into one message. @default 20 */
  maxAlertsPerMessage?: number;
}

/**
 * A running sink. Core owns delivery: it keeps one outbox per destination, merges waiting alerts with
 * `render`, calls `send` one message at a time, and retries according to the {@link DeliveryError} thrown.
 */
export interface SinkInstance<M = unknown> {
  /** Where this sink delivers (chat ids, webhook names); one outbox each. @default ['default'] */
  readonly destinations?: readonly string[];
  /** Merge limits. */
  readonly limits?: SinkLimits;
  /** Render one or more alerts (merged) into one message, with core's formatter. */
  render(alerts: readonly Alert[]): M;
  /** Size of a rendered message in the unit of `limits.maxMessageSize`. */
  measure?(message: M): number;
  /**
   * A rendered message as its reader will see it (markup resolved), for previews such as `replay` and
   * `start --dry-run`; core's `readableText` does it for core's renderers. Without it, previews show
   * the message as rendered.
   */
  preview?(message: M): string;
  /**
   * Deliver one message. Resolve on success; throw {@link DeliveryError} saying whether to retry,
   * stop the sink, or skip the message. Any other thrown error is treated as retryable.
   */
  send(message: M, destination: string, signal: AbortSignal): Promise<void>;
  /** Release resources. Called after the outboxes have drained. */
  stop?(): Promise<void>;
}

/** A sink plugin as `defineSink` returns it. */
export interface SinkDefinition<O extends OptionsSchema = OptionsSchema, M = unknown> {
  readonly [kPlugin]: PluginStamp;
  readonly kind: 'sink';
  /** Plugin name, e.g. `telegram`. */
  readonly name: string;
  /** One line on where the plugin delivers. */
  readonly description?: string;
  /** Options schema; every key a user may write under the sink besides `use`. */
  readonly options: O;
  /** Option keys whose values are secrets (redacted everywhere). */
  readonly secrets?: readonly (keyof z.output<O> & string)[];
  /** Build an instance from validated options. Must not do I/O. */
  create(options: z.output<O>, context: SinkContext): SinkInstance<M>;
}

/** Either kind of plugin definition. */
export type PluginDefinition = SourceDefinition | SinkDefinition;

type SourceSpec<O extends OptionsSchema> = Omit<SourceDefinition<O>, typeof kPlugin | 'kind'>;
type SinkSpec<O extends OptionsSchema, M> = Omit<SinkDefinition<O, M>, typeof kPlugin | 'kind'>;

const stamp = (): PluginStamp => ({ api: PLUGIN_API_VERSION, coreVersion: CORE_VERSION });

/** Define a source plugin. Default-export the result from the plugin package. */
export function defineSource<O extends OptionsSchema>(spec: SourceSpec<O>): SourceDefinition<O> {
  return { ...spec, kind: 'source', [kPlugin]: stamp() };
}

/** Define a sink plugin. Default-export the result from the plugin package. */
export function defineSink<O extends OptionsSchema, M>(spec: SinkSpec<O, M>): SinkDefinition<O, M> {
  return { ...spec, kind: 'sink', [kPlugin]: stamp() };
}
