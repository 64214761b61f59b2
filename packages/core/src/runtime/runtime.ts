/**
 * The liqmon runtime. Lifecycle, in order:
 *  1. sinks are created (disabled ones skipped, with the reason logged) and their outboxes made ready;
 *  2. the rule engine is built from the config's rules;
 *  3. sources are created and started, and the summary rules' schedules; each frame is decoded and
 *     every liquidation walks the rules;
 *  4. on stop: sources stop (reverse order), the rule engine flushes what it holds, outboxes drain
 *     under the shutdown deadline, sinks stop. What could not be delivered is reported.
 */
import type { Logger } from 'pino';
import type { Alert } from '../alert.js';
import type { LoadedConfig, PluginEntry } from '../config/types.js';
import { Delivery, type AlertJournal, type DrainReport } from '../delivery/index.js';
import { createFormatter } from '../format/index.js';
import type { Liquidation } from '../liquidation.js';
import type { SinkDefinition, SinkInstance } from '../plugin.js';
import { RuleEngine } from '../rules/index.js';
import type { PeriodStats } from '../stats/period.js';
import { describeError } from '../util/error-text.js';
import type { Redactor } from '../util/redactor.js';
import { EventGate } from './event-gate.js';
import { summarizeSources } from './source-summary.js';
import { SourceRunner } from './source-runner.js';

/**
 * How long `start` waits before it logs how the sources stand, in ms, when they have not all started
 * by then (the summary comes earlier when they have). Longer than the sources' own start waits
 * (Binance `startTimeout` 15 s), so a source still connecting normally has finished by then.
 */
export const START_SUMMARY_AFTER_MS = 20_000;

export interface RuntimeOptions {
  config: LoadedConfig;
  logger: Logger;
  redactor: Redactor;
  /**
   * Wrap every sink instance (for `--dry-run` and replay, which print instead of sending).
   * Receives the sink's config entry and instance; returns the instance to use.
   */
  wrapSink?: (entry: PluginEntry<SinkDefinition>, instance: SinkInstance) => SinkInstance;
  /** Clock for rules (replay drives a recorded clock). @default Date.now */
  now?: () => number;
  /** Called with every decoded liquidation before the rules (tests, metrics). */
  onEvent?: (event: Liquidation) => void;
  /** Called with every alert the rules produce (tests, metrics). */
  onAlert?: (alert: Alert, sinks: readonly string[]) => void;
  /**
   * Sources call `refresh()` when a frame names an instrument their reference data lacks. False for
   * replays, which decode with the recording's reference data and must not reach the network.
   * @default true
   */
  refreshOnUnknownInstrument?: boolean;
  /**
   * Sources log malformed and unknown-instrument frames (at most a line a second each). False for
   * replays, whose summary names every dropped frame with its line. @default true
   */
  logDroppedFrames?: boolean;
  /**
   * Statistics of a summary rule's period from a store (e.g. the store's `queryStats`), used when it
   * answers, so that a daily summary after a restart still covers the whole day; when it does not
   * answer (undefined), the statistics the rule counted in memory since the start are sent. `liqmon
   * start` passes one backed by the store; a replay never does (its periods are the recording's).
   */
  periodStats?: PeriodStats;
  /** When `start` logs the sources' summary at the latest, in ms. @default {@link START_SUMMARY_AFTER_MS} */
  startSummaryAfterMs?: number;
  /**
   * The outbox's journal (the store's), so that a restart sends what a crash left queued. None for
   * replays and dry runs, which must neither send a real run's alerts nor mark them.
   */
  journal?: AlertJournal;
  /**
   * Where the rules' alerts go instead of local delivery (a cluster publishes them to its alert stream,
   * and the leader hands them back to {@link Runtime.delivery}). None: straight to delivery.
   */
  routeAlert?: (alert: Alert, sinks: readonly string[]) => void;
}

export class Runtime {
  readonly sources: SourceRunner[] = [];
  readonly rules: RuleEngine;
  readonly delivery: Delivery;
  readonly #options: RuntimeOptions;
  readonly #logger: Logger;
  #stopping: Promise<DrainReport> | undefined;
  /** Checks replayed events whose source is not in the config (their own gate otherwise). */
  #unknownSourceGate: EventGate | undefined;
  #summaryTimer: NodeJS.Timeout | undefined;

  constructor(options: RuntimeOptions) {
    this.#options = options;
    this.#logger = options.logger;
    const { config } = options;
    const formatter = createFormatter(config.core.format);
    // Disabled entries were already reported among the config's warnings.
    const sinks = config.sinks
      .filter((entry) => !entry.disabledReason)
      .flatMap((entry) => {
        const logger = this.#logger.child({ sink: entry.name });
        for (const secret of entry.secrets) options.redactor.add(secret);
        try {
          const instance = entry.definition.create(entry.options, {
            name: entry.name,
            logger,
            signal: new AbortController().signal,
            secrets: options.redactor,
            formatter,
          });
          return [{ name: entry.name, instance: options.wrapSink?.(entry, instance) ?? instance, logger }];
        } catch (error) {
          // A plugin bug (create must only read its options): this sink is off, the others run.
          logger.error({ err: error }, `sink "${entry.name}" could not be created and is off for this run: ${describeError(error)}`);
          return [];
        }
      });
    this.delivery = new Delivery({
      sinks,
      options: config.core.delivery,
      logger: this.#logger.child({ component: 'delivery' }),
      now: options.now,
      ...(options.journal ? { journal: options.journal } : {}),
    });
    const enabledSinks = new Set(sinks.map((s) => s.name));
    const enabledTargets = new Map<readonly string[], readonly string[]>();
    this.rules = new RuleEngine({
      rules: config.core.rules,
      dedupeWindowMs: config.core.dedupeWindow,
      now: options.now,
      logger: this.#logger.child({ component: 'rules' }),
      ...(options.periodStats ? { periodStats: options.periodStats } : {}),
      emit: (alert, to) => {
        // A rule's `to` is one frozen array: its enabled part is worked out once, not per alert.
        let targets = enabledTargets.get(to);
        if (!targets) enabledTargets.set(to, (targets = Object.freeze(to.filter((name) => enabledSinks.has(name)))));
        options.onAlert?.(alert, targets);
        if (targets.length === 0) return;
        if (options.routeAlert) options.routeAlert(alert, targets);
        else this.delivery.deliver(alert, targets);
      },
    });
    for (const entry of config.sources) if (!entry.disabledReason) this.sources.push(this.#createSource(entry));
  }

  #createSource(entry: LoadedConfig['sources'][number]): SourceRunner {
    return new SourceRunner({
      entry,
      logger: this.#logger.child({ source: entry.name }),
      redactor: this.#options.redactor,
      ...(this.#options.now ? { now: this.#options.now } : {}),
      ...(this.#options.refreshOnUnknownInstrument === false ? { refreshOnUnknownInstrument: false } : {}),
      ...(this.#options.logDroppedFrames === false ? { logDroppedFrames: false } : {}),
      // The runner has checked the event already (its gate).
      onEvent: (event) => this.#route(event),
    });
  }

  /**
   * Route one liquidation from outside a source (a replayed event) through the rules, after core's
   * checks: an invalid event is dropped and counted against its source.
   */
  ingest(event: Liquidation): void {
    const gate = this.source(event.source)?.gate ?? (this.#unknownSourceGate ??= new EventGate(this.#logger.child({ source: '(unknown)' })));
    if (gate.admit(event)) this.#route(event);
  }

  #route(event: Liquidation): void {
    this.#options.onEvent?.(event);
    this.rules.push(event);
  }

  /** How the sources stand, in one line (also in `/healthz` and `liqmon status`). */
  summary(): string {
    return summarizeSources(this.sources);
  }

  /** Source runner by config name (replay feeds recorded frames through it). */
  source(name: string): SourceRunner | undefined {
    return this.sources.find((s) => s.name === name);
  }

  /**
   * Start every source. Resolves when all have started; a source that fails keeps retrying in the
   * background while the others run.
   */
  async start(): Promise<void> {
    const names = this.sources.map((s) => s.name).join(', ') || 'none';
    this.#logger.info(`starting sources: ${names}`);
    // One line on how things stand once all have started, or after the start timeout if some have not.
    let summarized = false;
    const summarize = (): void => {
      if (summarized || this.#stopping) return;
      summarized = true;
      clearTimeout(this.#summaryTimer);
      const line = this.summary();
      if (this.sources.every((source) => source.health().connected)) this.#logger.info(line);
      else this.#logger.warn(line);
    };
    this.#summaryTimer = setTimeout(summarize, this.#options.startSummaryAfterMs ?? START_SUMMARY_AFTER_MS);
    this.#summaryTimer.unref();
    // Summary rules send at their period ends whether or not events come.
    this.rules.start();
    await Promise.all(this.sources.map((source) => source.start()));
    if (this.sources.length > 0) summarize();
    else clearTimeout(this.#summaryTimer);
  }

  /** Stop sources, flush rules, drain outboxes within `deadlineMs`. Safe to call twice. */
  stop(deadlineMs = this.#options.config.core.shutdownTimeout): Promise<DrainReport> {
    this.#stopping ??= this.#stop(deadlineMs);
    return this.#stopping;
  }

  async #stop(deadlineMs: number): Promise<DrainReport> {
    clearTimeout(this.#summaryTimer);
    for (const source of [...this.sources].reverse()) await source.stop();
    this.#unknownSourceGate?.close();
    this.rules.stop();
    const report = await this.delivery.drain(deadlineMs);
    return report;
  }
}

