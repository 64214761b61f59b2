import type { Alert } from '../alert.js';
import type { RuleConfig } from '../config/schema.js';
import type { Liquidation } from '../liquidation.js';
import type { Logger } from '../logger.js';
import type { PeriodStats } from '../stats/period.js';
import type { Scheduler } from './timers.js';

/** Options of {@link RuleEngine}. */
export interface RuleEngineOptions {
  /** The rule chain, validated (`rules:` of the config). */
  rules: readonly RuleConfig[];
  /** Drop an event whose `id` was seen less than this long ago (`dedupeWindow`); 0 turns dedupe off. */
  dedupeWindowMs: number;
  /**
   * The engine's clock, ms since epoch: windows, cooldowns and dedupe run on it. @default Date.now
   * A replay can drive it from recorded times so that windows and cooldowns behave as they did live.
   */
  now?: () => number;
  /**
   * Where the rules' timers run (cooldown ends, cascade updates, expiry of idle keys). A replay passes
   * timers on the recording's clock. @default real timers
   */
  scheduler?: Scheduler;
  /** Most keys one rule tracks at once (cascade windows, cooldowns). @default {@link MAX_KEYS_PER_RULE} */
  maxKeysPerRule?: number;
  /**
   * Statistics of a summary rule's period from a store, used when it answers (so that a daily summary
   * after a restart covers the whole day); otherwise the rule's in-memory statistics are sent.
   */
  periodStats?: PeriodStats;
  /** Where the engine logs (a child logger of the runtime's). Silent when omitted. */
  logger?: Logger;
  /** Receives every alert with the sinks of the rule's `to`. Called synchronously; errors are logged. */
  emit: (alert: Alert, sinks: readonly string[]) => void;
}

/** Counters of one rule. */
export interface RuleCounters {
  /** Events whose `match` fit this rule (and reached it: earlier rules did not own them). */
  matched: number;
  /** Matched events outside `minUsd`/`maxUsd`, dropped. */
  filtered: number;
  /** Alerts emitted (liquidation and cascade alerts, updates included). */
  alerted: number;
  /** Events held by a cooldown and folded into a later alert ("+N more"). */
  folded: number;
  /** Events added to a cascade window (aggregate rules). */
  aggregated: number;
  /**
   * Events of a new key that arrived while the rule already tracked its maximum of keys: a cascade
   * rule did not aggregate them, a cooldown rule sent them unfolded.
   */
  overKeyLimit: number;
}

/** What {@link RuleEngine.stats} returns. */
export interface RuleStats {
  /** Events pushed. */
  received: number;
  /** Events dropped as duplicates (same `id` within the dedupe window); they reach no rule. */
  deduped: number;
  /** Events no rule matched. */
  unmatched: number;
  /** Ids the dedupe table holds now. */
  dedupeSize: number;
  /** Counters per rule name, in chain order. */
  rules: Record<string, RuleCounters>;
}

/** A rule ready to run. */
export interface CompiledRule {
  readonly name: string;
  readonly continue: boolean;
  /** A `summary:` rule: it counts every event it matches and never owns one. */
  readonly summary: boolean;
  readonly to: readonly string[];
  readonly counters: RuleCounters;
  matches(event: Liquidation): boolean;
  /** Thresholds, aggregate, cooldown, emit. */
  handle(event: Liquidation, now: number): void;
  /** Start what runs without events (a summary's schedule), on the engine's clock. */
  start?(): void;
  stop(): void;
  /** Keys (cascade windows or cooldowns) tracked now. */
  keys(): number;
}

/**
 * Most keys one rule tracks at once. A real market has a few thousand symbols per side across every
 * venue; the cap is there for a feed that invents symbols (untrusted input), not for real ones.
 */
export const MAX_KEYS_PER_RULE = 20_000;
