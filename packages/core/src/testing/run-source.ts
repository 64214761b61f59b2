/**
 * A tiny stand-in for core's runtime around ONE source: it validates options with the plugin's schema,
 * gives the instance a context whose `frame()` decodes at once, and collects events, malformed frames
 * and logs. Plugin tests use it to run a source end to end against a fake exchange.
 */
import { z } from 'zod';
import { isLiqmonError, type UnknownInstrumentError } from '../errors.js';
import { UNKNOWN_INSTRUMENT_REFRESH_MS } from '../runtime/source-runner.js';
import type { Liquidation } from '../liquidation.js';
import type { RawFrame, SourceContext, SourceDefinition, SourceInstance } from '../plugin.js';
import { DEFAULT_MAX_FRAME_BYTES } from '../util/frame-size.js';
import { createMemoryLogger, type LogLine } from './memory-logger.js';

/** A source instance wired to collectors. */
export interface SourceHarness {
  readonly name: string;
  readonly instance: SourceInstance;
  readonly context: SourceContext;
  /** Liquidations decoded from live frames, in order. */
  readonly events: Liquidation[];
  /** Every raw frame the source handed to `context.frame`. */
  readonly frames: RawFrame[];
  /** Frames whose decode threw MalformedFrameError (core would log and count them). */
  readonly malformed: { frame: RawFrame; error: Error }[];
  /**
   * Frames whose decode threw UnknownInstrumentError, with the instrument. As core does, the harness
   * then calls the instance's `refresh()`, at most once per minute of `Date.now()` (fake timers move it).
   */
  readonly unknownInstruments: { frame: RawFrame; instrument: string }[];
  /** Frames whose decode threw anything else: a contract violation. */
  readonly crashes: { frame: RawFrame; error: unknown }[];
  /** Log lines of the instance's logger. */
  readonly logs: LogLine[];
  /** Secrets the instance registered. */
  readonly secrets: string[];
  prepare(): Promise<void>;
  start(): Promise<void>;
  /** Aborts the context signal and calls `instance.stop()`. Safe to call twice. */
  stop(): Promise<void>;
  /** Resolves when `predicate` holds (polled every 10 ms); rejects after `timeout` ms (default 5000). */
  waitFor(predicate: () => boolean, options?: { timeout?: number; message?: string }): Promise<void>;
  /** Resolves with the events once at least `count` have arrived. */
  waitForEvents(count: number, timeout?: number): Promise<Liquidation[]>;
}

/** Options of {@link createSourceHarness}. */
export interface HarnessOptions {
  /** Instance name (`sources.<name>`). @default the plugin's name */
  name?: string;
  /** Log level of the collecting logger. @default 'debug' */
  logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';
}

/** Validates `options` with the plugin's schema, as core does for a config file. */
export function parseSourceOptions<O extends z.ZodObject>(definition: SourceDefinition<O>, options: unknown): z.output<O> {
  const result = definition.options.safeParse(options);
  if (!result.success) throw new Error(`Invalid options for source "${definition.name}":\n${z.prettifyError(result.error)}`);
  return result.data;
}

/** Builds the instance (no I/O yet: `create` must not do any). */
export function createSourceHarness<O extends z.ZodObject>(
  definition: SourceDefinition<O>,
  options: unknown = {},
  harness: HarnessOptions = {},
): SourceHarness {
  const name = harness.name ?? definition.name;
  const { logger, lines } = createMemoryLogger(harness.logLevel);
  const controller = new AbortController();
  const events: Liquidation[] = [];
  const frames: RawFrame[] = [];
  const malformed: SourceHarness['malformed'] = [];
  const crashes: SourceHarness['crashes'] = [];
  const unknownInstruments: SourceHarness['unknownInstruments'] = [];
  let lastRefreshAt = Number.NEGATIVE_INFINITY;
  const secrets: string[] = [];
  // Filled right after create(); frames only arrive once the instance exists.
  const holder: { instance?: SourceInstance } = {};
  const context: SourceContext = {
    name,
    logger: logger.child({ source: name }),
    signal: controller.signal,
    secrets: { add: (value) => void (value && secrets.push(value)) },
    maxFrameBytes: DEFAULT_MAX_FRAME_BYTES,
    frameTooLarge: () => undefined,
    frame: (frame) => {
      frames.push(frame);
      try {
        events.push(...(holder.instance?.decode(frame) ?? []));
      } catch (error) {
        if (isLiqmonError(error) && error.code === 'LIQMON_MALFORMED_FRAME') malformed.push({ frame, error });
        else if (isLiqmonError(error) && error.code === 'LIQMON_UNKNOWN_INSTRUMENT') {
          unknownInstruments.push({ frame, instrument: String((error as UnknownInstrumentError).instrument) });
          if (Date.now() - lastRefreshAt >= UNKNOWN_INSTRUMENT_REFRESH_MS) {
            lastRefreshAt = Date.now();
            void holder.instance?.refresh?.().catch(() => undefined);
          }
        } else crashes.push({ frame, error });
      }
    },
  };
  const created = definition.create(parseSourceOptions(definition, options), context);
  holder.instance = created;

  const waitFor: SourceHarness['waitFor'] = async (predicate, opts = {}) => {
    const deadline = Date.now() + (opts.timeout ?? 5_000);
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(opts.message ?? `source "${name}": condition not met in time`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  return {
    name,
    instance: created,
    context,
    events,
    frames,
    malformed,
    unknownInstruments,
    crashes,
    logs: lines,
    secrets,
    prepare: async () => created.prepare?.(),
    start: () => created.start(),
    stop: () => {
      controller.abort();
      return created.stop();
    },
    waitFor,
    waitForEvents: async (count, timeout) => {
      await waitFor(() => events.length >= count, {
        timeout,
        message: `source "${name}": expected ${count} liquidation(s), got ${events.length}`,
      });
      return events;
    },
  };
}

/** Creates the instance, runs `prepare()` and `start()`, and returns the harness. Always `stop()` it. */
export async function runSource<O extends z.ZodObject>(
  definition: SourceDefinition<O>,
  options: unknown = {},
  harness: HarnessOptions = {},
): Promise<SourceHarness> {
  const run = createSourceHarness(definition, options, harness);
  try {
    await run.prepare();
    await run.start();
  } catch (error) {
    await run.stop();
    throw error;
  }
  return run;
}
