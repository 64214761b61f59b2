/**
 * The rule chain. Each event is deduped by `id`, then walks the rules top to bottom: the first rule
 * whose `match` fits owns it, and later rules see it only if that rule says `continue: true`. Ownership
 * goes by `match` alone, so an event a rule filters out by `minUsd` does not fall through to the next.
 * Summary rules (`summary:`) stand beside the chain, wherever they are written: each counts every
 * event its `match` fits, and none owns an event or takes one from the rules below it.
 */
import { pino } from 'pino';
import type { Alert } from '../alert.js';
import type { Liquidation } from '../liquidation.js';
import type { Logger } from '../logger.js';
import { compileRule, type RuleContext } from './compile.js';
import { Dedupe } from './dedupe.js';
import { realTimers, type Scheduler } from './timers.js';
import { MAX_KEYS_PER_RULE, type CompiledRule, type RuleEngineOptions, type RuleStats } from './types.js';

export class RuleEngine {
  private readonly rules: readonly CompiledRule[];
  /** The chain: rules that alert per event or per cascade, in config order. */
  private readonly chain: readonly CompiledRule[];
  private readonly summaries: readonly CompiledRule[];
  private readonly dedupe: Dedupe;
  private readonly now: () => number;
  private readonly logger: Logger;
  private received = 0;
  private deduped = 0;
  private unmatched = 0;
  private stopped = false;
  private started = false;
  private scheduler: Scheduler;

  constructor(options: RuleEngineOptions) {
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? pino({ level: 'silent' });
    this.dedupe = new Dedupe(options.dedupeWindowMs);
    const emit = (alert: Alert, sinks: readonly string[]) => {
      try {
        options.emit(alert, sinks);
      } catch (error) {
        this.logger.error({ err: error, rule: alert.rule }, `emitting an alert of rule "${alert.rule}" failed; the chain goes on`);
      }
    };
    this.scheduler = options.scheduler ?? realTimers;
    const maxKeys = options.maxKeysPerRule ?? MAX_KEYS_PER_RULE;
    const context: RuleContext = {
      now: this.now,
      // Through the engine, so that a replay can put the rules on its clock before the first event.
      timers: { start: (ms, run) => this.scheduler.start(ms, run) },
      maxKeys,
      emit,
      overKeyLimit: (rule) =>
        this.logger.warn(
          { rule, maxKeys },
          `rule "${rule}" tracks ${maxKeys} keys (cascade windows or cooldowns), its maximum: events of further keys are not aggregated or folded until some expire (counter overKeyLimit)`,
        ),
      ...(options.periodStats ? { periodStats: options.periodStats } : {}),
      periodStatsFailed: (rule, error) =>
        this.logger.warn({ err: error, rule }, `the stored statistics for summary rule "${rule}" could not be read; sending the statistics counted in memory`),
    };
    this.rules = options.rules.map((rule) => compileRule(rule, context));
    this.chain = this.rules.filter((rule) => !rule.summary);
    this.summaries = this.rules.filter((rule) => rule.summary);
  }

  /**
   * Run the rules' timers on another scheduler: a replay puts them on the recording's clock so that
   * cooldowns and cascade updates fire at recorded times whatever the playback speed. Only before the
   * first event (timers already started stay where they are).
   */
  useScheduler(scheduler: Scheduler): void {
    if (this.received > 0 || this.started) throw new Error('RuleEngine.useScheduler() must be called before start() and the first event');
    this.scheduler = scheduler;
  }

  /**
   * Start what runs without events: the summary rules' schedules, from the clock's time now (their
   * first summary covers the period under way). The first event starts them too. Idempotent.
   */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    for (const rule of this.summaries) rule.start?.();
  }

  /**
   * The input is over (a replay's recording has ended): stop the summary schedules, so that no period
   * the input does not cover to its end is summarised, while the other rules' timers still run out.
   */
  stopSummaries(): void {
    for (const rule of this.summaries) rule.stop();
  }

  /** Run one event through dedupe and the chain. The hot path: no allocation unless a rule acts. */
  push(event: Liquidation): void {
    if (this.stopped) return;
    if (!this.started) this.start();
    this.received++;
    const now = this.now();
    if (this.dedupe.isDuplicate(event.id, now)) {
      this.deduped++;
      return;
    }
    for (const rule of this.summaries) {
      if (!rule.matches(event)) continue;
      rule.counters.matched++;
      rule.handle(event, now);
    }
    let owned = false;
    for (const rule of this.chain) {
      if (!rule.matches(event)) continue;
      owned = true;
      rule.counters.matched++;
      rule.handle(event, now);
      if (!rule.continue) return;
    }
    if (!owned) this.unmatched++;
  }

  /** Counters since construction. */
  stats(): RuleStats {
    const rules: RuleStats['rules'] = {};
    for (const rule of this.rules) rules[rule.name] = { ...rule.counters };
    return { received: this.received, deduped: this.deduped, unmatched: this.unmatched, dedupeSize: this.dedupe.size, rules };
  }

  /** Keys (cascade windows and cooldowns) all rules track now. */
  keys(): number {
    let keys = 0;
    for (const rule of this.rules) keys += rule.keys();
    return keys;
  }

  /** Clear timers and emit every alert a cooldown still holds, so that nothing vanishes. Idempotent. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const rule of this.rules) rule.stop();
  }
}
