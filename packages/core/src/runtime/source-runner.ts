/**
 * Runs one source instance: builds its context, prepares and starts it, restarts it with backoff when
 * it fails, and turns the frames it hands over into liquidations (decode errors logged and counted,
 * never fatal). The same frame path serves `start`, `record` and `replay`.
 */
import type { Logger } from 'pino';
import type { PluginEntry } from '../config/types.js';
import type { Liquidation } from '../liquidation.js';
import type { RawFrame, SourceDefinition, SourceHealth, SourceInstance } from '../plugin.js';
import { backoffDelay, sleep, type BackoffPolicy } from '../util/backoff.js';
import { describeError } from '../util/error-text.js';
import type { Redactor } from '../util/redactor.js';

/** Restart policy for a source whose start fails. */
const RESTART: BackoffPolicy = { minMs: 1_000, maxMs: 60_000 };

/** Counters of one source, for logs and health. */
export interface SourceStats {
  frames: number;
  events: number;
  malformed: number;
  restarts: number;
}

export interface SourceRunnerOptions {
  entry: PluginEntry<SourceDefinition>;
  logger: Logger;
  redactor: Redactor;
  /** Every frame as received (for `liqmon record`), before decoding. */
  onFrame?: (frame: RawFrame, source: string) => void;
  /** Every decoded liquidation. Not called when `decode` is false. */
  onEvent?: (event: Liquidation) => void;
  /** Decode frames (false for `liqmon record`, which only stores them). @default true */
  decode?: boolean;
}

export class SourceRunner {
  readonly name: string;
  readonly stats: SourceStats = { frames: 0, events: 0, malformed: 0, restarts: 0 };
  readonly #options: SourceRunnerOptions;
  readonly #logger: Logger;
  readonly #abort = new AbortController();
  #instance: SourceInstance | undefined;
  #running: Promise<void> | undefined;
  #started = false;
  #lastMalformedLog = 0;

  constructor(options: SourceRunnerOptions) {
    this.#options = options;
    this.name = options.entry.name;
    this.#logger = options.logger;
    for (const secret of options.entry.secrets) options.redactor.add(secret);
  }

  /**
   * The plugin instance, created on first use. A plugin whose `create` throws (a bug: it must only
   * read its options) fails its start like any other start failure: logged and retried with backoff.
   */
  #created(): SourceInstance {
    this.#instance ??= this.#options.entry.definition.create(this.#options.entry.options, {
      name: this.name,
      logger: this.#logger,
      signal: this.#abort.signal,
      secrets: this.#options.redactor,
      frame: (frame) => this.handleFrame(frame),
    });
    return this.#instance;
  }

  /** Fetch reference data (for replay, without starting). */
  async prepare(): Promise<void> {
    await this.#created().prepare?.();
  }

  /**
   * Prepare and start the source, retrying with backoff until it starts or `stop` is called.
   * Resolves once started (or stopped); never rejects.
   */
  start(): Promise<void> {
    this.#running ??= this.#startLoop();
    return this.#running;
  }

  async #startLoop(): Promise<void> {
    for (let attempt = 1; !this.#abort.signal.aborted; attempt++) {
      try {
        const instance = this.#created();
        await instance.prepare?.();
        await instance.start();
        this.#started = true;
        this.#logger.info('source started');
        return;
      } catch (error) {
        if (this.#abort.signal.aborted) return;
        const delay = backoffDelay(RESTART, attempt);
        this.stats.restarts++;
        this.#logger.error({ err: error, retryInMs: delay, attempt }, `source failed to start: ${describeError(error)}`);
        await this.#instance?.stop().catch(() => undefined);
        await sleep(delay, this.#abort.signal);
      }
    }
  }

  /** Decode one frame and pass its liquidations on. Never throws. */
  handleFrame(frame: RawFrame): void {
    this.stats.frames++;
    this.#options.onFrame?.(frame, this.name);
    if (this.#options.decode === false) return;
    let events: readonly Liquidation[];
    try {
      events = this.#created().decode(frame);
    } catch (error) {
      this.#onMalformed(frame, error);
      return;
    }
    for (const event of events) {
      this.stats.events++;
      this.#options.onEvent?.(event);
    }
  }

  #onMalformed(frame: RawFrame, error: unknown): void {
    this.stats.malformed++;
    // A flood of garbage must not flood the log: one line per second at most, with the running count.
    const now = Date.now();
    if (now - this.#lastMalformedLog < 1_000) return;
    this.#lastMalformedLog = now;
    this.#logger.warn(
      { channel: frame.channel, frame: frame.data.slice(0, 300), malformed: this.stats.malformed },
      `dropped a frame that cannot be decoded: ${describeError(error)}`,
    );
  }

  health(): SourceHealth & SourceStats {
    // A plugin without health() counts as connected once it has started.
    const health = this.#instance?.health?.() ?? { connected: this.#started, reconnects: 0 };
    return { ...health, ...this.stats };
  }

  /** Stop the source; safe to call twice. */
  async stop(): Promise<void> {
    if (this.#abort.signal.aborted) return;
    this.#abort.abort();
    try {
      await this.#instance?.stop();
    } catch (error) {
      this.#logger.warn({ err: error }, `source did not stop cleanly: ${describeError(error)}`);
    }
    this.#logger.info(this.stats, 'source stopped');
  }
}
