/**
 * A sink built as core builds it, for plugin tests: options validated by the plugin's schema (unknown
 * keys refused, as in a config file), the keys the definition lists in `secrets` registered, a context
 * with a collecting logger and core's formatter. No Delivery: call `render` and `send` directly, or
 * hand `instance` to a `Delivery` with `DEFAULT_DELIVERY_OPTIONS`.
 */
import { z } from 'zod';
import { formatSchema } from '../config/schema.js';
import { createFormatter } from '../format/index.js';
import type { SinkContext, SinkDefinition, SinkInstance } from '../plugin.js';
import { createMemoryLogger, type LogLine } from './memory-logger.js';

/** Options of {@link createSinkContext}. */
export interface SinkContextOptions {
  /** Instance name (`sinks.<name>`). @default 'test' */
  name?: string;
  /** The `format:` section as a user writes it. @default core's defaults */
  format?: z.input<typeof formatSchema>;
  /** Level of the collecting logger. @default 'debug' */
  logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';
}

/** A context and what it collected. */
export interface TestSinkContext {
  context: SinkContext;
  /** Every value registered as a secret (by core for `secrets` keys, or by the sink). */
  secrets: string[];
  /** Lines the sink logged. */
  logs: LogLine[];
  /** Every log line as JSON text, one per line (to look for leaked secrets). */
  logText(): string;
  /** Abort `context.signal`, as core does when the sink is stopped. */
  abort(): void;
}

/** A `SinkContext` with sane defaults: memory logger, secret list, core's formatter, a live signal. */
export function createSinkContext(options: SinkContextOptions = {}): TestSinkContext {
  const { logger, lines } = createMemoryLogger(options.logLevel ?? 'debug');
  const secrets: string[] = [];
  const controller = new AbortController();
  const context: SinkContext = {
    name: options.name ?? 'test',
    logger,
    signal: controller.signal,
    secrets: { add: (value) => void (value && secrets.push(value)) },
    formatter: createFormatter(formatSchema.parse(options.format ?? {})),
  };
  return { context, secrets, logs: lines, logText: () => lines.map((line) => JSON.stringify(line)).join('\n'), abort: () => controller.abort() };
}

/** A sink instance and its context. */
export interface SinkHarness<M = unknown> extends TestSinkContext {
  instance: SinkInstance<M>;
  /** The options after validation. */
  options: Record<string, unknown>;
}

/**
 * Validate `options` (as written in a config) with the plugin's schema, register its secret keys, and
 * `create` the instance. Throws with the schema's messages when the options are invalid.
 */
export function createSinkHarness<M>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any plugin's options schema
  definition: SinkDefinition<any, M>,
  options: Record<string, unknown>,
  contextOptions: SinkContextOptions = {},
): SinkHarness<M> {
  const parsed = definition.options.strict().safeParse(options);
  if (!parsed.success) throw new Error(`Invalid options for sink "${definition.name}":\n${z.prettifyError(parsed.error)}`);
  const harness = createSinkContext({ name: definition.name, ...contextOptions });
  const data = parsed.data as Record<string, unknown>;
  // The validated values: a secret that came from a default is a secret too.
  for (const key of definition.secrets ?? []) {
    const value: unknown = data[key];
    for (const secret of Array.isArray(value) ? value : [value]) if (typeof secret === 'string') harness.context.secrets.add(secret);
  }
  return { ...harness, instance: definition.create(data, harness.context), options: data };
}
