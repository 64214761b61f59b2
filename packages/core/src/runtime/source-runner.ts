/**
 * Runs one source instance: builds its context, prepares and starts it, restarts it with backoff when
 * it fails, and turns the frames it hands over into liquidations (decode errors logged and counted,
 * never fatal). The same frame path serves `start`, `record` and `replay`.
 */
import type { Logger } from 'pino';
import type { PluginEntry } from '../config/types.js';
import type { Liquidation } from '../liquidation.js';
import { sanitizeText } from '../format/sanitize.js';
import { isLiqmonError, type UnknownInstrumentError } from '../errors.js';
import type { RawFrame, ReferenceData, SourceDefinition, SourceHealth, SourceInstance } from '../plugin.js';
import { backoffDelay, sleep, type BackoffPolicy } from '../util/backoff.js';
import { describeError } from '../util/error-text.js';
import { failureText, logFailure } from '../util/network-failure.js';
import type { Redactor } from '../util/redactor.js';
import { EventGate } from './event-gate.js';
import { DEFAULT_MAX_FRAME_BYTES, isOversized } from '../util/frame-size.js';

/** Restart policy for a source whose start fails. */
const RESTART: BackoffPolicy = { minMs: 1_000, maxMs: 60_000 };

/** Counters of one source, for logs and health. */
export interface SourceStats {
  frames: number;
  events: number;
  malformed: number;
  restarts: number;
  /** Liquidations dropped by core's checks (`liquidation-check.ts`), every reason. */
  invalid: number;
  /** The same, by reason (`price`, `notional_too_large`, `time`, ...). */
  invalidByReason: Readonly<Record<string, number>>;
  /** Frames dropped unread for being larger than `maxFrameBytes`. */
  oversized: number;
  /** Frames skipped because their instrument is not in the source's reference data yet. */
  unknownInstrument: number;
}

/**
 * Least time between two instrument refreshes that unknown instruments trigger: a new listing is
 * priced within a minute, and a feed of frames for an instrument the venue does not list (or lists
 * under another name) costs one REST call a minute, not one per frame.
 */
export const UNKNOWN_INSTRUMENT_REFRESH_MS = 60_000;

/**
 * Why {@link SourceRunner.handleFrame} dropped a frame: unread for its size, unreadable, or of an
 * instrument the reference data does not list. Replay names these in its summary, with line numbers.
 */
export type FrameDrop =
  | { reason: 'oversized' }
  | { reason: 'malformed'; error: unknown }
  | { reason: 'unknownInstrument'; instrument: string };

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
  /** Clock for log throttling and retry times (tests). @default Date.now */
  now?: () => number;
  /**
   * Call the instance's `refresh()` when a frame names an unknown instrument (rate-limited). False for
   * replays, which decode with the reference data they were given and must not reach the network.
   * @default true
   */
  refreshOnUnknownInstrument?: boolean;
  /**
   * Log malformed and unknown-instrument frames (at most a line a second each). False for replays, which
   * name every dropped frame with its line number in their summary instead (`handleFrame`'s result).
   * @default true
   */
  logDroppedFrames?: boolean;
  /**
   * Called when a `refresh()` that an unknown instrument triggered has finished (whether it succeeded or
   * not): the reference data may have changed (`liqmon record` writes it again).
   */
  onRefreshed?: () => void;
}

export class SourceRunner {
  readonly name: string;
  readonly #counts = { frames: 0, events: 0, malformed: 0, restarts: 0, oversized: 0, unknownInstrument: 0 };
  /** Checks every liquidation before it goes on (live, replayed frames and replayed events alike). */
  readonly gate: EventGate;
  /** Largest frame decoded, in bytes (the entry's `maxFrameBytes`). */
  readonly maxFrameBytes: number;
  readonly #options: SourceRunnerOptions;
  readonly #logger: Logger;
  readonly #abort = new AbortController();
  #instance: SourceInstance | undefined;
  #running: Promise<void> | undefined;
  #started = false;
  #lastMalformedLog = 0;
  #lastOversizedLog = 0;
  #lastUnknownLog = 0;
  /** When the last refresh for an unknown instrument began; -Infinity before the first. */
  #lastRefreshAt = Number.NEGATIVE_INFINITY;
  /** Instruments skipped since the last log line, for the next one. */
  readonly #unknownSinceLog = new Set<string>();
  /** Why the last start failed, in a few words (`cannot list instruments: ENOTFOUND`); cleared on start. */
  #startFailure: string | undefined;
  /** Set when the source has stopped for good, with why; it is not retried. */
  #failure: string | undefined;

  constructor(options: SourceRunnerOptions) {
    this.#options = options;
    this.name = options.entry.name;
    this.#logger = options.logger;
    this.maxFrameBytes = options.entry.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.gate = new EventGate(options.logger, options.now ? { now: options.now } : {});
    for (const secret of options.entry.secrets) options.redactor.add(secret);
  }

  /** Counters of this source, for logs and health. */
  get stats(): SourceStats {
    return { ...this.#counts, invalid: this.gate.invalidTotal, invalidByReason: { ...this.gate.invalid } };
  }

  /** True once the source's `start` has resolved. */
  get started(): boolean {
    return this.#started;
  }

  /**
   * The plugin instance, created on first use. A plugin whose `create` throws fails its start like any
   * other start failure (logged, retried with backoff), until it throws the same error twice in a row:
   * then these options cannot build it and the source is failed for good (`#giveUp`).
   */
  #created(): SourceInstance {
    this.#instance ??= this.#options.entry.definition.create(this.#options.entry.options, {
      name: this.name,
      logger: this.#logger,
      signal: this.#abort.signal,
      secrets: this.#options.redactor,
      maxFrameBytes: this.maxFrameBytes,
      frameTooLarge: () => this.countOversized(`more than ${this.maxFrameBytes} bytes`),
      frame: (frame) => this.handleFrame(frame),
    });
    return this.#instance;
  }

  /**
   * Fetch reference data (for replay, without starting), or take it as given: `reference` is what an
   * instance of the same plugin returned from `reference()` (a recording keeps it).
   */
  async prepare(reference?: ReferenceData): Promise<void> {
    const instance = this.#created();
    await (reference === undefined ? instance.prepare?.() : instance.prepare?.(reference));
  }

  /** The instance's reference data as `reference()` returns it, or undefined (none, or not prepared). */
  reference(): ReferenceData {
    return this.#instance?.reference?.();
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
    // The message of the last `create()` failure: the same one again means these options cannot build
    // the plugin, and retrying would fail the same way forever.
    let lastCreateFailure: string | undefined;
    for (let attempt = 1; !this.#abort.signal.aborted; attempt++) {
      try {
        const instance = this.#created();
        await instance.prepare?.();
        await instance.start();
        this.#started = true;
        this.#startFailure = undefined;
        if (instance.health?.().connected === false) this.#logger.info(`${this.name}: started, not connected yet; retrying in the background`);
        else this.#logger.info('source started');
        return;
      } catch (error) {
        if (this.#abort.signal.aborted) return;
        // No instance yet: the failure is create()'s (the instance is kept once create() returns).
        const createFailure = this.#instance === undefined ? this.#options.redactor.redact(describeError(error)) : undefined;
        if (createFailure !== undefined && createFailure === lastCreateFailure) {
          this.#giveUp(createFailure);
          return;
        }
        lastCreateFailure = createFailure;
        const delay = backoffDelay(RESTART, attempt);
        this.#counts.restarts++;
        this.#startFailure = this.#options.redactor.redact(failureText(error));
        // Offline, this repeats every retry: an expected network failure is one warn line, a bug has its stack.
        logFailure(this.#logger, { subject: this.name, action: 'source failed to start', error, retryInMs: delay, now: this.#now() });
        await this.#instance?.stop().catch(() => undefined);
        await sleep(delay, this.#abort.signal);
      }
    }
  }

  /** Stop retrying a source whose plugin cannot be built from its options: one error line, failed in health. */
  #giveUp(failure: string): void {
    this.#failure = `cannot be built with these options, not retried: ${failure}`;
    this.#startFailure = this.#failure;
    this.#logger.error(
      `${this.name}: will not be retried: its plugin cannot be built with these options (create() threw the same error twice: ${failure}); ` +
        `fix sources.${this.name} (\`liqmon validate\` checks it) and restart`,
    );
  }

  /** True when the source has stopped for good (its plugin cannot be built from its options). */
  get failed(): boolean {
    return this.#failure !== undefined;
  }

  /**
   * Decode one frame and pass its liquidations on. Never throws. Returns why the frame was dropped, or
   * undefined when it was not (nothing is allocated for a frame that decodes).
   */
  handleFrame(frame: RawFrame): FrameDrop | undefined {
    this.#counts.frames++;
    // Before recording too: a recording must not carry a frame that live decoding would refuse.
    if (isOversized(frame.data, this.maxFrameBytes)) {
      this.#onOversized(frame);
      return { reason: 'oversized' };
    }
    this.#options.onFrame?.(frame, this.name);
    if (this.#options.decode === false) return undefined;
    let events: readonly Liquidation[];
    try {
      events = this.#created().decode(frame);
    } catch (error) {
      if (isLiqmonError(error) && error.code === 'LIQMON_UNKNOWN_INSTRUMENT') {
        const instrument = sanitizeText(String((error as UnknownInstrumentError).instrument).slice(0, 64));
        this.#onUnknownInstrument(instrument);
        return { reason: 'unknownInstrument', instrument };
      }
      this.#onMalformed(frame, error);
      return { reason: 'malformed', error };
    }
    for (const event of events) {
      if (!this.gate.admit(event)) continue;
      this.#counts.events++;
      this.#options.onEvent?.(event);
    }
    return undefined;
  }

  /**
   * Count a frame dropped for its size: reported by core's WebSocket client (which refuses it before
   * reading it whole, see ws/client.ts), or found here in a frame handed over (other transports, replay).
   */
  countOversized(size: string): void {
    this.#counts.oversized++;
    const now = this.#now();
    if (now - this.#lastOversizedLog < 1_000) return;
    this.#lastOversizedLog = now;
    this.#logger.warn(
      { oversized: this.#counts.oversized, maxFrameBytes: this.maxFrameBytes },
      `${this.name}: dropped a frame of ${size} unread (maxFrameBytes is ${this.maxFrameBytes}); ${this.#counts.oversized} so far`,
    );
  }

  #onOversized(frame: RawFrame): void {
    this.countOversized(`${Buffer.byteLength(frame.data)} bytes`);
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }

  #onMalformed(frame: RawFrame, error: unknown): void {
    this.#counts.malformed++;
    if (this.#options.logDroppedFrames === false) return;
    // A flood of garbage must not flood the log: one line per second at most, with the running count.
    const now = this.#now();
    if (now - this.#lastMalformedLog < 1_000) return;
    this.#lastMalformedLog = now;
    this.#logger.warn(
      { channel: frame.channel, frame: sanitizeText(frame.data.slice(0, 300)), malformed: this.#counts.malformed },
      `dropped a frame that cannot be decoded: ${describeError(error)}`,
    );
  }

  /**
   * A frame of an instrument the reference data does not list: skipped and counted (never priced with a
   * guess), logged at most once a second with the instruments seen, and the instrument list refreshed
   * at most once per {@link UNKNOWN_INSTRUMENT_REFRESH_MS}.
   */
  #onUnknownInstrument(instrument: string): void {
    this.#counts.unknownInstrument++;
    const now = this.#now();
    if (this.#unknownSinceLog.size < 5) this.#unknownSinceLog.add(instrument);
    const refresh = this.#options.refreshOnUnknownInstrument !== false && this.#instance?.refresh !== undefined && now - this.#lastRefreshAt >= UNKNOWN_INSTRUMENT_REFRESH_MS;
    if (refresh) {
      this.#lastRefreshAt = now;
      this.#instance
        ?.refresh?.()
        .catch((failure: unknown) => this.#logger.warn(`${this.name}: instrument refresh failed: ${this.#options.redactor.redact(describeError(failure))}`))
        .finally(() => this.#options.onRefreshed?.());
    }
    if (this.#options.logDroppedFrames === false) {
      this.#unknownSinceLog.clear();
      return;
    }
    if (now - this.#lastUnknownLog < 1_000 && !refresh) return;
    this.#lastUnknownLog = now;
    const names = [...this.#unknownSinceLog].join(', ');
    this.#unknownSinceLog.clear();
    this.#logger.warn(
      { unknownInstrument: this.#counts.unknownInstrument },
      `${this.name}: skipped a liquidation of an instrument not in the instrument list yet (${names}); ` +
        `${refresh ? 'refreshing the list now' : 'the list is refreshed at most once a minute'}; ${this.#counts.unknownInstrument} skipped so far`,
    );
  }

  health(): SourceHealth & SourceStats & { failed?: true } {
    // A plugin without health() counts as connected once it has started.
    const health = this.#instance?.health?.() ?? { connected: this.#started, reconnects: 0 };
    // Until it has started, why it has not is the runner's to say (the plugin may not know).
    const problem = health.connected ? undefined : !this.#started ? (this.#startFailure ?? health.problem) : health.problem;
    const { problem: _ignored, ...rest } = health;
    return {
      ...rest,
      ...(problem !== undefined ? { problem: this.#options.redactor.redact(problem) } : {}),
      ...this.stats,
      ...(this.#failure !== undefined ? { failed: true as const } : {}),
    };
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
    this.gate.close();
    this.#logger.info(this.stats, 'source stopped');
  }
}
