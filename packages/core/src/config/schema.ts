/**
 * The core keys of the config file (everything except plugin options, which each plugin's own schema
 * validates). Types of the validated config are inferred from here.
 */
import { z } from 'zod';
import { amount, duration } from './units.js';

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
  by: oneOrMany(z.enum(AGGREGATE_KEYS)).default(['base', 'side']),
  minUsd: amount().optional(),
  minCount: z.number().int().positive().optional(),
});

/** One rule of the chain. */
export const ruleSchema = z.strictObject({
  name: z.string().regex(NAME_RE, 'use letters, digits, "-", "_" or "."'),
  match: matchSchema.optional(),
  minUsd: amount().optional(),
  maxUsd: amount().optional(),
  aggregate: aggregateSchema.optional(),
  cooldown: duration().optional(),
  continue: z.boolean().default(false),
  to: oneOrMany(z.string()).default([]),
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
});

export type CoreConfig = z.output<typeof coreConfigSchema>;
export type RuleConfig = z.output<typeof ruleSchema>;
export type MatchConfig = z.output<typeof matchSchema>;
export type AggregateConfig = z.output<typeof aggregateSchema>;
