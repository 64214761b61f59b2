/**
 * Turns one rule of the config into a {@link CompiledRule}: the steps run in the fixed order of
 * DESIGN.md: match, `minUsd`/`maxUsd` (inclusive), `aggregate`, `cooldown`, then delivery to `to`.
 */
import type { Alert } from '../alert.js';
import type { RuleConfig } from '../config/schema.js';
import type { Liquidation } from '../liquidation.js';
import { CascadeTracker } from './cascade.js';
import { Cooldown } from './cooldown.js';
import { COOLDOWN_KEY, keyOf } from './key.js';
import { compileMatch } from './match.js';
import type { PeriodStats } from '../stats/period.js';
import { SummarySchedule } from './summary.js';
import type { Scheduler } from './timers.js';
import type { CompiledRule, RuleCounters } from './types.js';

/** What every rule shares from its engine. */
export interface RuleContext {
  now: () => number;
  /** Where cooldown, update and expiry timers run. */
  timers: Scheduler;
  /** Most keys one rule tracks at once (cascade windows or cooldowns). */
  maxKeys: number;
  emit: (alert: Alert, sinks: readonly string[]) => void;
  /** Called the first time a rule goes over `maxKeys`, to say so once. */
  overKeyLimit: (rule: string) => void;
  /** Statistics of a summary's period from outside the rules (a store), where it answers. */
  periodStats?: PeriodStats;
  /** A summary rule's `periodStats` threw. */
  periodStatsFailed: (rule: string, error: unknown) => void;
}

export function compileRule(rule: RuleConfig, context: RuleContext): CompiledRule {
  const { now, emit } = context;
  const counters: RuleCounters = { matched: 0, filtered: 0, alerted: 0, folded: 0, aggregated: 0, overKeyLimit: 0 };
  const to = Object.freeze([...rule.to]);
  const minUsd = rule.minUsd ?? -Infinity;
  const maxUsd = rule.maxUsd ?? Infinity;
  const host = {
    rule: rule.name,
    now,
    emit: (alert: Alert) => {
      counters.alerted++;
      emit(alert, to);
    },
    timers: context.timers,
    maxKeys: context.maxKeys,
    overKeyLimit: () => {
      if (counters.overKeyLimit++ === 0) context.overKeyLimit(rule.name);
    },
  };

  let next: (event: Liquidation, at: number) => void;
  let stop: () => void = () => {};
  let keys: () => number = () => 0;
  let start: (() => void) | undefined;
  if (rule.summary) {
    const schedule = new SummarySchedule(rule.summary, {
      rule: rule.name,
      match: rule.match,
      minUsd: rule.minUsd,
      now,
      timers: context.timers,
      emit: host.emit,
      periodStats: context.periodStats,
      periodStatsFailed: (error) => context.periodStatsFailed(rule.name, error),
    });
    next = (event) => schedule.push(event);
    start = () => schedule.start();
    stop = () => schedule.stop();
  } else if (rule.aggregate) {
    // Without a cooldown, a running cascade still updates at most once per window: never once per event.
    const cascades = new CascadeTracker(rule.aggregate, rule.cooldown ?? rule.aggregate.window, host);
    next = (event, at) => {
      if (cascades.push(event, at)) counters.aggregated++;
    };
    stop = () => cascades.stop();
    keys = () => cascades.keys;
  } else if (rule.cooldown !== undefined && rule.cooldown > 0) {
    const cooldown = new Cooldown(rule.cooldown, host);
    const key = keyOf(COOLDOWN_KEY);
    next = (event, at) => {
      if (cooldown.push(key(event), event, at)) counters.folded++;
    };
    stop = () => cooldown.stop();
    keys = () => cooldown.keys;
  } else {
    next = (event, at) => host.emit({ kind: 'liquidation', rule: rule.name, events: [event], createdAt: at });
  }

  return {
    name: rule.name,
    continue: rule.continue,
    summary: rule.summary !== undefined,
    to,
    counters,
    matches: compileMatch(rule.match),
    handle(event, at) {
      const usd = event.notionalUsd;
      if (usd < minUsd || usd > maxUsd) {
        counters.filtered++;
        return;
      }
      next(event, at);
    },
    ...(start ? { start } : {}),
    stop,
    keys,
  };
}
