/**
 * The Bybit source instance: discovers instruments, runs one {@link BybitFeed} per category, refreshes
 * the instrument list on a timer and decodes frames.
 *
 * Lifecycle:
 * 1. `prepare()` lists instruments of every category (base/quote for decoding; also used by replay).
 *    A failure is logged and decoding falls back to splitting symbols.
 * 2. `start()` picks the symbols (explicit `symbols`, or every listed contract), opens the feeds and
 *    resolves once every subscribe request is acked, or after {@link START_WAIT_MS} with a warning
 *    (the feeds keep reconnecting in the background).
 * 3. Every `refreshInterval` the list is fetched again; new contracts are subscribed and delisted ones
 *    unsubscribed on the live connections. A failed refresh is retried sooner ({@link RETRY_AFTER_MS}).
 * 4. `stop()` clears the timer and closes every connection.
 */
import type { Liquidation, RawFrame, ReferenceData, SourceContext, SourceHealth, SourceInstance } from '@liqmon/core';
import { describeError, failureText, logFailure, SourceUnreachableError, type HttpRequester } from '@liqmon/core';
import type { WsOverrides } from './connection.js';
import { decodeBybitFrame } from './decode.js';
import { BybitFeed } from './feed.js';
import { InstrumentBook } from './instrument-book.js';
import { fetchInstruments, guessCategory, type BybitInstrument } from './instruments.js';
import type { BybitCategory, BybitOptions } from './options.js';
import { liquidationTopic } from './protocol.js';
import { parseReference, referenceOf } from './reference.js';

/** `start()` stops waiting for acks after this long; the connections carry on regardless. */
export const START_WAIT_MS = 30_000;
/** After a failed discovery, try again this soon rather than a whole `refreshInterval` later. */
export const RETRY_AFTER_MS = 60_000;

/** Test seams: an HTTP client and WebSocket client overrides. Core never passes these. */
export interface BybitSourceInternals {
  request?: HttpRequester;
  ws?: WsOverrides;
}

/** start() lists a category again only when its last failed listing is older than this. */
const RELIST_AFTER_MS = 5_000;

/** Build a Bybit source instance. No I/O happens until `prepare`/`start`. */
export function createBybitSource(options: BybitOptions, context: SourceContext, internals: BybitSourceInternals = {}): SourceInstance {
  const logger = context.logger;
  const instruments = new InstrumentBook();
  /** Built once: decode runs for every frame. */
  const decodeContext = { source: context.name, instruments };
  const feeds = new Map<BybitCategory, BybitFeed>();
  /** Last successful listing per category (trading contracts now). */
  const listed = new Map<BybitCategory, BybitInstrument[]>();
  let refreshTimer: NodeJS.Timeout | undefined;
  let stopped = false;
  let started = false;
  const onFrame = (frame: RawFrame): void => context.frame(frame);
  /** When each category's listing last failed: start() does not ask again right after prepare() failed. */
  const failedAt = new Map<BybitCategory, number>();
  /** Why each category's last listing failed (cleared on success), for the log line and health. */
  const failures = new Map<BybitCategory, unknown>();
  const restHost = hostOf(options.restUrl);

  /**
   * List one category. Failures are not logged here: whoever called says it once, with what happens
   * next (start: the runner's retry line; refresh: the next try).
   */
  async function discover(category: BybitCategory): Promise<boolean> {
    try {
      const list = await fetchInstruments({ restUrl: options.restUrl, category, signal: context.signal, ...(internals.request ? { request: internals.request } : {}) });
      instruments.add(list);
      listed.set(category, list);
      failures.delete(category);
      logger.debug({ category, instruments: list.length }, 'Bybit instruments listed');
      return true;
    } catch (error) {
      if (context.signal.aborted) return false;
      failedAt.set(category, Date.now());
      failures.set(category, error);
      logger.debug({ category, err: error }, 'Bybit instruments not listed');
      return false;
    }
  }

  /** One line per category whose listing failed, with when the next try is. */
  function reportFailures(retryInMs: number): void {
    for (const [category, error] of failures) {
      logFailure(logger, {
        subject: context.name,
        action: `cannot list ${category} instruments`,
        host: restHost,
        error,
        retryInMs,
        unexpectedLevel: 'warn',
      });
    }
  }

  /** Symbols to watch per category, or undefined when discovery has not succeeded for it yet. */
  function symbolsOf(category: BybitCategory): string[] | undefined {
    if (options.symbols) {
      return options.symbols.filter((symbol) => {
        if (instruments.has(category, symbol)) return true;
        const other: BybitCategory = category === 'linear' ? 'inverse' : 'linear';
        return !instruments.has(other, symbol) && guessCategory(symbol) === category;
      });
    }
    return listed.get(category)?.map((instrument) => instrument.symbol);
  }

  function feedFor(category: BybitCategory): BybitFeed {
    let feed = feeds.get(category);
    if (!feed) {
      feed = new BybitFeed({
        category,
        url: streamUrl(options.wsUrl, category),
        topicsPerConnection: options.topicsPerConnection,
        onFrame,
        logger: logger.child({ category }),
        signal: context.signal,
        // The feed hands client options to every connection; `staleAfter` is one (tests may override it).
        ws: { staleAfter: options.staleAfter, maxFrameBytes: context.maxFrameBytes, onOversized: () => context.frameTooLarge(), ...internals.ws },
      });
      feeds.set(category, feed);
    }
    return feed;
  }

  /** Bring every category's subscriptions in line with the current symbol lists. */
  async function sync(): Promise<boolean> {
    if (stopped) return true; // a start() or refresh that races stop() must not open new feeds
    let complete = true;
    await Promise.all(
      options.categories.map(async (category) => {
        const symbols = symbolsOf(category);
        if (symbols === undefined) {
          complete = false;
          return;
        }
        const feed = feeds.get(category);
        if (feed && symbols.length === 0 && feed.topics.length > 0) {
          // An empty listing is far likelier an API glitch than every contract delisted at once.
          logger.warn({ category }, 'Bybit listed no instruments; keeping the current subscriptions');
          return;
        }
        const changes = await feedFor(category).update(symbols.map(liquidationTopic));
        if (feed && (changes.added.length > 0 || changes.removed.length > 0)) {
          logger.info({ category, subscribed: changes.added, unsubscribed: changes.removed }, 'Bybit instruments changed');
        }
      }),
    );
    return complete;
  }

  async function refresh(): Promise<void> {
    const results = await Promise.all(options.categories.map((category) => discover(category)));
    if (stopped) return;
    const complete = (await sync()) && results.every(Boolean);
    const next = complete ? options.refreshInterval : Math.min(RETRY_AFTER_MS, options.refreshInterval);
    if (!results.every(Boolean)) reportFailures(next);
    schedule(next);
  }

  function schedule(delay: number): void {
    if (stopped) return;
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => {
      refresh().catch((error: unknown) => {
        logger.error({ err: error }, 'Bybit instrument refresh failed');
        schedule(RETRY_AFTER_MS);
      });
    }, delay);
  }

  return {
    async prepare(reference?: ReferenceData) {
      if (reference !== undefined) {
        // Saved reference data (a recording's): used as it is, no I/O.
        try {
          for (const [category, list] of parseReference(reference)) {
            instruments.add(list);
            listed.set(category, list);
          }
          return;
        } catch (error) {
          logger.warn(`${context.name}: the reference data given is not usable (${describeError(error)}); listing instruments from Bybit instead`);
        }
      }
      await Promise.all(options.categories.map((category) => discover(category)));
    },

    reference: () => referenceOf(instruments.listed()),

    /** Core calls it after an unknown instrument: before start only the list is loaded again (no feeds). */
    async refresh() {
      if (started) await refresh();
      else await Promise.all(options.categories.map((category) => discover(category)));
    },

    async start() {
      started = true;
      for (const category of options.categories) {
        // Asked again unless prepare() just failed for it (that answer is seconds old at most).
        const recent = Date.now() - (failedAt.get(category) ?? -Infinity) < RELIST_AFTER_MS;
        if (!listed.has(category) && !recent) await discover(category);
      }
      if (!options.symbols && options.categories.every((category) => !listed.has(category))) {
        // Nothing to subscribe: core retries the start and says so in one line (offline, the usual case).
        throw new SourceUnreachableError('cannot list instruments', restHost, {
          cause: failures.values().next().value,
          hint: `Check network access to ${restHost}, or set \`symbols\` to watch a fixed list.`,
        });
      }
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), START_WAIT_MS);
      });
      const outcome = await Promise.race([sync(), waited]);
      clearTimeout(timer);
      if (outcome === 'timeout' && !stopped) logger.warn('Bybit feeds are still connecting; carrying on in the background');
      // Explicit symbols need no refresh once every category is known; discovery mode always refreshes.
      if (!options.symbols || options.categories.some((category) => !listed.has(category))) {
        const allListed = options.categories.every((category) => listed.has(category));
        if (!allListed) reportFailures(RETRY_AFTER_MS);
        schedule(allListed ? options.refreshInterval : RETRY_AFTER_MS);
      }
    },

    async stop() {
      stopped = true;
      clearTimeout(refreshTimer);
      await Promise.all([...feeds.values()].map((feed) => feed.stop()));
    },

    decode(frame: RawFrame): readonly Liquidation[] {
      return decodeBybitFrame(frame, decodeContext);
    },

    health(): SourceHealth {
      const connections = [...feeds.values()].flatMap((feed) => feed.health());
      const lastMessageAt = Math.max(0, ...connections.map((connection) => connection.lastMessageAt ?? 0));
      const open = Object.fromEntries(options.categories.map((category) => [category, feeds.get(category)?.connected ?? false]));
      const failing = connections.find((connection) => connection.state !== 'open' && connection.lastFailure !== undefined);
      const listing = failures.values().next();
      const problem = failing?.lastFailure ?? (listing.done ? undefined : failureText(listing.value, 'cannot list instruments'));
      return {
        connected: [...feeds.values()].some((feed) => feed.connected),
        lastMessageAt: lastMessageAt > 0 ? lastMessageAt : undefined,
        reconnects: connections.reduce((sum, connection) => sum + connection.reconnects, 0),
        feeds: open,
        ...(problem !== undefined ? { problem } : {}),
        details: { connections, instruments: instruments.size },
      };
    },
  };
}

/** The host of a URL, for log lines. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** `wss://stream.bybit.com` + `/v5/public/<category>` (docs/v5/ws/connect). */
export function streamUrl(wsUrl: string, category: BybitCategory): string {
  return `${wsUrl.replace(/\/+$/, '')}/v5/public/${category}`;
}
