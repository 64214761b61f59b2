/**
 * The BitMEX source instance.
 *
 * Lifecycle:
 * 1. `prepare(reference?)` loads the contract list (sizes, and XBTUSD's price for quanto and
 *    XBT-quoted contracts), or takes it from `reference` (a recording's snapshot) without I/O.
 * 2. `start()` opens the connection and subscribes the `liquidation` table (every contract), or
 *    `liquidation:<symbol>` per configured symbol; it resolves once BitMEX answered, or after
 *    {@link START_WAIT_MS} with a warning.
 * 3. The list is fetched again every `refreshInterval`, and by core when a row names a contract the
 *    list does not have (`refresh()`, at most once a minute). A failed fetch keeps the old list.
 * 4. `stop()` clears the timer and closes the connection.
 */
import type { Liquidation, RawFrame, ReferenceData, SourceContext, SourceHealth, SourceInstance } from '@liqmon/core';
import { failureText, LogThrottle, logFailure, SourceUnreachableError } from '@liqmon/core';
import { BitmexConnection, type WsOverrides } from './connection.js';
import { decodeBitmexFrame, type DecodeContext } from './decode.js';
import { fetchInstruments, fromReference, toReference, type BitmexInstrument, type BitmexReference } from './instruments.js';
import type { BitmexOptions } from './options.js';

/** `start()` stops waiting for the subscribe answers after this long; the connection carries on. */
export const START_WAIT_MS = 30_000;
/** After a failed listing, try again this soon rather than a whole `refreshInterval` later. */
export const RETRY_AFTER_MS = 60_000;
/** Least time between two listings triggered by unknown contracts found beside known ones. */
const UNKNOWN_REFRESH_MS = 60_000;

/** Test seams. Core never passes these. */
export interface BitmexSourceInternals {
  ws?: WsOverrides;
}

/** The subscription topics for these options. */
export function topicsOf(options: Pick<BitmexOptions, 'symbols'>): string[] {
  return options.symbols ? options.symbols.map((symbol) => `liquidation:${symbol}`) : ['liquidation'];
}

/** Build a BitMEX source instance. No I/O happens until `prepare`/`start`. */
export function createBitmexSource(options: BitmexOptions, context: SourceContext, internals: BitmexSourceInternals = {}): SourceInstance {
  const logger = context.logger;
  const instruments = new Map<string, BitmexInstrument>();
  let xbtUsd: number | undefined;
  const restHost = new URL(options.restUrl).host;
  let listed = false;
  let failure: unknown;
  let refreshTimer: NodeJS.Timeout | undefined;
  let lastUnknownRefresh = -Infinity;
  let stopped = false;
  let connection: BitmexConnection | undefined;
  const unknownLog = new LogThrottle({
    write: (_key, { count, examples }) => logger.warn({ symbols: examples, count }, 'BitMEX liquidations of contracts not in the list were skipped; refreshing the list'),
  });
  const decodeContext: DecodeContext = {
    source: context.name,
    instruments,
    xbtUsd: () => xbtUsd,
    markets: new Set(options.markets),
    onUnknownInstrument: (symbol) => {
      unknownLog.note('unknown', symbol);
      if (Date.now() - lastUnknownRefresh < UNKNOWN_REFRESH_MS) return;
      lastUnknownRefresh = Date.now();
      void load();
    },
  };

  function use(reference: BitmexReference): void {
    for (const instrument of reference.instruments) instruments.set(instrument.symbol, instrument);
    xbtUsd = reference.xbtUsd ?? xbtUsd;
    listed = true;
  }

  /** Fetch the list; false (and `failure` set) when it failed. Never throws. */
  async function load(): Promise<boolean> {
    try {
      use(await fetchInstruments(options.restUrl, context.signal));
      failure = undefined;
      return true;
    } catch (error) {
      if (!context.signal.aborted) failure = error;
      return false;
    }
  }

  function schedule(delay: number): void {
    if (stopped) return;
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => {
      void load().then((ok) => {
        if (!ok && !stopped) logFailure(logger, { subject: context.name, action: 'cannot list instruments', host: restHost, error: failure, retryInMs: RETRY_AFTER_MS, unexpectedLevel: 'warn' });
        schedule(ok ? options.refreshInterval : Math.min(RETRY_AFTER_MS, options.refreshInterval));
      });
    }, delay);
  }

  return {
    async prepare(reference?: ReferenceData) {
      const saved = reference === undefined ? undefined : fromReference(reference);
      if (saved) return use(saved);
      if (reference !== undefined) logger.warn('the saved BitMEX reference data is not in a known shape; listing instruments instead');
      if (!(await load())) logger.warn({ err: failure }, 'BitMEX instruments not listed; liquidations are skipped until the list loads');
    },

    reference() {
      return listed ? toReference({ instruments: [...instruments.values()], xbtUsd }) : undefined;
    },

    async refresh() {
      await load();
    },

    async start() {
      if (!listed && !(await load())) {
        // Without the list no liquidation can be priced: core retries the start and says so in one line.
        throw new SourceUnreachableError('cannot list instruments', restHost, { cause: failure, hint: `Check network access to ${restHost}.` });
      }
      connection = new BitmexConnection({
        wsUrl: options.wsUrl,
        topics: topicsOf(options),
        staleAfter: options.staleAfter,
        onFrame: (frame) => context.frame(frame),
        logger,
        signal: context.signal,
        maxFrameBytes: context.maxFrameBytes,
        onOversized: () => context.frameTooLarge(),
        ...(internals.ws ? { ws: internals.ws } : {}),
      });
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), START_WAIT_MS);
      });
      const outcome = await Promise.race([connection.start(), waited]);
      clearTimeout(timer);
      if (outcome === 'timeout' && !stopped) logger.warn('BitMEX is still connecting; carrying on in the background');
      schedule(options.refreshInterval);
    },

    async stop() {
      stopped = true;
      clearTimeout(refreshTimer);
      unknownLog.close();
      await connection?.stop();
    },

    decode(frame: RawFrame): readonly Liquidation[] {
      return decodeBitmexFrame(frame, decodeContext);
    },

    health(): SourceHealth {
      const stats = connection?.health();
      const problem = stats?.lastFailure ?? (failure === undefined ? undefined : failureText(failure, 'cannot list instruments'));
      return {
        connected: connection?.connected ?? false,
        lastMessageAt: stats?.lastMessageAt,
        reconnects: stats?.reconnects ?? 0,
        feeds: { liquidation: connection?.connected ?? false },
        ...(problem !== undefined ? { problem } : {}),
        details: { connection: stats, instruments: instruments.size, xbtUsd },
      };
    },
  };
}
