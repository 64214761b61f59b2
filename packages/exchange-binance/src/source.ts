/**
 * A running Binance source: loads exchange info, opens one reconnecting WebSocket per market (per 200
 * symbols), hands every frame to core, and decodes with {@link decodeFrame}.
 */
import type { Liquidation, RawFrame, ReferenceData, SourceContext, SourceHealth, SourceInstance } from '@liqmon/core';
import { describeError, exampleList, logFailure, LogThrottle } from '@liqmon/core';
import { ReconnectingWebSocket } from '@liqmon/core/ws';
import { decodeFrame } from './decode.js';
import { fetchExchangeInfo, InstrumentBook } from './instruments.js';
import type { BinanceOptions, Market } from './options.js';
import { parseReference, referenceOf } from './reference.js';
import { assignSymbols, streamUrls } from './streams.js';

const REST_URL = { usdm: 'usdmRestUrl', coinm: 'coinmRestUrl' } as const;
/**
 * Symbols remembered as already reported missing from exchange info, per refresh. Beyond it (a flood
 * of invented symbols) each one is only counted in the throttled summary line.
 */
const MAX_WARNED = 1_000;
const WS_URL = { usdm: 'usdmUrl', coinm: 'coinmUrl' } as const;

/** Builds the instance. No I/O here: `prepare` and `start` do it. */
export function createBinanceSource(options: BinanceOptions, context: SourceContext): SourceInstance {
  const { logger } = context;
  const instruments = new InstrumentBook();
  const warned = new Set<string>();
  // One line per market per 10 s, with the count and a few examples: a feed of 100,000 invented
  // symbols once wrote 100,000 lines. Only USD-M guesses (base/quote); COIN-M never guesses a contract size.
  const fallbackLog = new LogThrottle({
    write: (market, summary) => {
      const what = 'not in USD-M exchange info';
      const consequence = 'base/quote guessed from the symbol';
      const source = instruments.isLoaded(market as Market) ? '' : ' (unavailable)';
      logger.warn(
        { market, symbols: summary.count, examples: summary.examples },
        summary.count === 1
          ? `${exampleList(summary)} ${what}${source}; ${consequence}`
          : `${summary.count} more symbols ${what}${source} in the last ${Math.round(summary.periodMs / 1000)}s (${exampleList(summary)}); ${consequence}`,
      );
    },
  });
  const feeds: { market: Market; url: string; client: ReconnectingWebSocket }[] = [];
  let preparing: Promise<void> | undefined;
  let refreshTimer: NodeJS.Timeout | undefined;
  let stopped = false;
  const symbols = options.symbols?.map((symbol) => symbol.toUpperCase());

  const onFallback = (market: Market, symbol: string): void => {
    const key = `${market}:${symbol}`;
    if (warned.has(key)) return;
    if (warned.size < MAX_WARNED) warned.add(key);
    // JSON-quoted and cut: the symbol is exchange text, and the line goes to a terminal.
    fallbackLog.note(market, JSON.stringify(symbol.slice(0, 32)));
  };

  /** Built once: decode runs for every frame. */
  const decodeContext = { source: context.name, instruments, onFallback };

  async function loadExchangeInfo(market: Market): Promise<void> {
    const restUrl = options[REST_URL[market]];
    try {
      const list = await fetchExchangeInfo(restUrl, market, { signal: context.signal, timeout: options.exchangeInfoTimeout });
      instruments.set(market, list);
      logger.debug({ market, symbols: list.length }, 'binance exchange info loaded');
    } catch (error) {
      if (context.signal.aborted) return;
      // Offline this is expected: one warn line (host, cause, next try), not a stack.
      logFailure(logger, {
        subject: context.name,
        action: `cannot load ${market} exchange info`,
        host: hostOf(restUrl),
        error,
        meanwhile: instruments.isLoaded(market)
          ? 'keeping the previous copy'
          : market === 'coinm'
            ? 'COIN-M liquidations are not priced (their contract sizes are unknown) until it loads'
            : 'base/quote are guessed from symbols until it loads',
        ...(options.exchangeInfoRefresh > 0 ? { retryInMs: options.exchangeInfoRefresh } : {}),
        unexpectedLevel: 'warn',
      });
    }
  }

  /** Load every market's exchange info again (the periodic refresh, and core's on an unknown instrument). */
  async function refresh(): Promise<void> {
    // Forget fallback warnings so that symbols still missing after a refresh are reported again.
    warned.clear();
    await Promise.all(options.markets.map((market) => loadExchangeInfo(market)));
  }

  function prepare(reference?: ReferenceData): Promise<void> {
    if (reference !== undefined) {
      // Saved reference data (a recording's): used as it is, no I/O. A market it lacks stays unloaded.
      try {
        for (const [market, list] of Object.entries(parseReference(reference))) instruments.set(market as Market, list);
        warned.clear();
        return Promise.resolve();
      } catch (error) {
        logger.warn(`${context.name}: the reference data given is not usable (${describeError(error)}); loading exchange info from Binance instead`);
      }
    }
    preparing ??= refresh().then(() => {
      if (stopped || options.exchangeInfoRefresh <= 0) return;
      refreshTimer = setInterval(() => void refresh(), options.exchangeInfoRefresh);
      refreshTimer.unref();
    });
    return preparing;
  }

  function openFeeds(): void {
    const perMarket = symbols ? assignSymbols(symbols, (market, symbol) => instruments.has(market, symbol)) : undefined;
    for (const market of options.markets) {
      const marketSymbols = perMarket?.[market];
      if (perMarket && marketSymbols?.length === 0) continue;
      for (const url of streamUrls(options[WS_URL[market]], market, marketSymbols)) {
        const client = new ReconnectingWebSocket({
          name: `${context.name}/${market}`,
          url,
          logger,
          signal: context.signal,
          onMessage: (data, { receivedAt }) => context.frame({ channel: market, data, receivedAt }),
          staleAfter: options.staleAfter,
          probeAfter: options.probeAfter,
          maxConnectionAge: options.maxConnectionAge,
          rotationOverlap: options.rotationOverlap,
          connectTimeout: options.connectTimeout,
          backoff: { initialDelay: options.reconnectDelay, maxDelay: options.maxReconnectDelay },
          maxFrameBytes: context.maxFrameBytes,
          onOversized: () => context.frameTooLarge(),
        });
        feeds.push({ market, url, client });
      }
    }
  }

  return {
    prepare,
    refresh,
    reference: () => referenceOf(instruments),

    async start() {
      await prepare();
      if (stopped || feeds.length > 0) return; // stopped meanwhile, or started already
      openFeeds();
      let timer: NodeJS.Timeout | undefined;
      const waited = await Promise.race([
        Promise.all(feeds.map((feed) => feed.client.start())).then(() => true),
        new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), options.startTimeout))),
      ]);
      clearTimeout(timer);
      if (!waited && !stopped) {
        const waiting = feeds.filter((feed) => feed.client.state !== 'open').map((feed) => feed.market);
        logger.warn({ feeds: waiting }, `${context.name}: ${[...new Set(waiting)].join(', ')} not connected after ${options.startTimeout / 1000}s; retrying in the background`);
      }
    },

    async stop() {
      stopped = true;
      clearInterval(refreshTimer);
      refreshTimer = undefined;
      fallbackLog.close();
      await Promise.all(feeds.map((feed) => feed.client.stop()));
    },

    decode(frame: RawFrame): Liquidation[] {
      return decodeFrame(frame, decodeContext);
    },

    health(): SourceHealth {
      const stats = feeds.map((feed) => ({ market: feed.market, url: feed.url, ...feed.client.stats() }));
      const last = stats.map((s) => s.lastMessageAt ?? 0).reduce((a, b) => Math.max(a, b), 0);
      const feedsOpen: Record<string, boolean> = {};
      for (const s of stats) feedsOpen[s.market] = (feedsOpen[s.market] ?? true) && s.state === 'open';
      const failing = stats.find((s) => s.state !== 'open' && s.lastFailure !== undefined);
      return {
        connected: stats.some((s) => s.state === 'open'),
        lastMessageAt: last > 0 ? last : undefined,
        reconnects: stats.reduce((sum, s) => sum + s.reconnects, 0),
        feeds: feedsOpen,
        ...(failing?.lastFailure !== undefined ? { problem: failing.lastFailure } : {}),
        details: {
          feeds: stats,
          exchangeInfo: Object.fromEntries(options.markets.map((m) => [m, instruments.isLoaded(m) ? instruments.size(m) : 'unavailable'])),
        },
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
