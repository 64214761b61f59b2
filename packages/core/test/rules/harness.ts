import { pino } from 'pino';
import type { Alert } from '../../src/alert.js';
import { ruleSchema } from '../../src/config/schema.js';
import { RuleEngine } from '../../src/rules/index.js';
import type { z } from 'zod';

/** A rule as written in a config (before validation). */
export type RuleInput = z.input<typeof ruleSchema>;

/** A rule engine on a clock the test moves (fake timers' Date), recording what it emits. */
export function engine(rules: RuleInput[], options: { dedupeWindowMs?: number } = {}) {
  const emitted: { alert: Alert; sinks: readonly string[] }[] = [];
  const engine = new RuleEngine({
    rules: rules.map((rule) => ruleSchema.parse(rule)),
    dedupeWindowMs: options.dedupeWindowMs ?? 60_000,
    logger: pino({ level: 'silent' }),
    emit: (alert, sinks) => emitted.push({ alert, sinks }),
  });
  return { engine, emitted, alerts: () => emitted.map((entry) => entry.alert) };
}
