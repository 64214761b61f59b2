/**
 * The rule chain. Each event is deduped by `id`, then walks the rules top to bottom: the first rule
 * whose `match` fits owns it, and later rules see it only if that rule says `continue: true`. Ownership
 * goes by `match` alone, so an event a rule filters out by `minUsd` does not fall through to the next.
 */
import { pino } from 'pino';
import type { Alert } from '../alert.js';
import type { Liquidation } from '../liquidation.js';
import type { Logger } from '../logger.js';
import { compileRule } from './compile.js';
import { Dedupe } from './dedupe.js';
import type { CompiledRule, RuleEngineOptions, RuleStats } from './types.js';

export class RuleEngine {
  private readonly rules: readonly CompiledRule[];
  private readonly dedupe: Dedupe;
  private readonly now: () => number;
  private readonly logger: Logger;
  private received = 0;
  private deduped = 0;
  private unmatched = 0;
  private stopped = false;

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
    this.rules = options.rules.map((rule) => compileRule(rule, this.now, emit));
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

  /** Clear timers and emit every alert a cooldown still holds, so that nothing vanishes. Idempotent. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const rule of this.rules) rule.stop();
  }
}
