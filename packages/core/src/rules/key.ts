import type { AggregateConfig } from '../config/schema.js';
import type { Liquidation } from '../liquidation.js';

/** Fields a cascade or a cooldown is keyed by. */
export type KeyField = AggregateConfig['by'][number];

/** Cooldowns of single-liquidation rules are per rule and per base and side ("BTC longs"). */
export const COOLDOWN_KEY: readonly KeyField[] = ['base', 'side'];

/** A function giving an event's key string for the given fields. */
export function keyOf(fields: readonly KeyField[]): (event: Liquidation) => string {
  const [a, b, ...rest] = fields;
  if (a === undefined) return () => '';
  if (b === undefined) return (event) => event[a];
  if (rest.length === 0) return (event) => `${event[a]}\u0000${event[b]}`;
  return (event) => fields.map((field) => event[field]).join('\u0000');
}

/** The key fields and their values for an event, as alerts show them. */
export function keyValues(fields: readonly KeyField[], event: Liquidation): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of fields) values[field] = event[field];
  return values;
}
