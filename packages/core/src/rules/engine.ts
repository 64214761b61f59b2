/**
 * The rule chain. Each event is deduped by `id`, then walks the rules top to bottom: the first rule
 * whose `match` fits owns it, and later rules see it only if that rule says `continue: true`. Ownership
 * goes by `match` alone, so an event a rule filters out by `minUsd` does not fall through to the next.
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
  private readonly dedupe: Dedupe;
  private readonly now: () => number;
  private readonly logger: Logger;
  private received = 0;
  private deduped = 0;
  private unmatched = 0;
  private stopped = false;
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
    };
    this.rules = options.rules.map((rule) => compileRule(rule, context));
  }

  /**
   * Run the rules' timers on another scheduler: a replay puts them on the recording's clock so that
   * cooldowns and cascade updates fire at recorded times whatever the playback speed. Only before the
   * first event (timers already started stay where they are).
   */
  useScheduler(scheduler: Scheduler): void {
    if (this.received > 0) throw new Error('RuleEngine.useScheduler() must be called before the first event');
    this.scheduler = scheduler;
  }

  /** Run one event through dedupe and the chain. The hot path: no allocation unless a rule acts. */
  push(event: Liquidation): void {
    if (this.stopped) return;
    this.received++;
    const now = this.now();
    if (this.dedupe.isDuplicate(event.id, now)) {
      this.deduped++;
      return;
    }
    let owned = false;
    for (const rule of this.rules) {
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
