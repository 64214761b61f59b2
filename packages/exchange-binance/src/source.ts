/**
 * A running Binance source: loads exchange info, opens one reconnecting WebSocket per market (per 200
 * symbols), hands every frame to core, and decodes with {@link decodeFrame}.
 */
import type { Liquidation, RawFrame, SourceContext, SourceHealth, SourceInstance } from '@liqmon/core';
import { describeError } from '@liqmon/core';
import { ReconnectingWebSocket } from '@liqmon/core/ws';
import { decodeFrame } from './decode.js';
import { fetchExchangeInfo, InstrumentBook } from './instruments.js';
import type { BinanceOptions, Market } from './options.js';
import { assignSymbols, streamUrls } from './streams.js';

const REST_URL = { usdm: 'usdmRestUrl', coinm: 'coinmRestUrl' } as const;
const WS_URL = { usdm: 'usdmUrl', coinm: 'coinmUrl' } as const;

/** Builds the instance. No I/O here: `prepare` and `start` do it. */
export function createBinanceSource(options: BinanceOptions, context: SourceContext): SourceInstance {
  const { logger } = context;
  const instruments = new InstrumentBook();
  const warned = new Set<string>();
  const feeds: { market: Market; url: string; client: ReconnectingWebSocket }[] = [];
  let preparing: Promise<void> | undefined;
  let refreshTimer: NodeJS.Timeout | undefined;
  let stopped = false;
  const symbols = options.symbols?.map((symbol) => symbol.toUpperCase());

  const onFallback = (market: Market, symbol: string): void => {
    const key = `${market}:${symbol}`;
    if (warned.has(key)) return;
    warned.add(key);
    const loaded = instruments.isLoaded(market);
    logger.warn(
      { market, symbol },
      market === 'coinm'
        ? `COIN-M contract size of ${symbol} unknown (${loaded ? 'not in exchange info' : 'exchange info unavailable'}); assuming ${symbol.startsWith('BTC') ? 100 : 10} USD per contract`
        : `${symbol} not in USD-M exchange info${loaded ? '' : ' (unavailable)'}; base/quote guessed from the symbol`,
    );
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
      const reason = describeError(error);
      logger.warn(
        { market, err: reason },
        instruments.isLoaded(market)
          ? `could not refresh ${market} exchange info; keeping the previous copy`
          : market === 'coinm'
            ? 'could not load COIN-M exchange info; using fallback contract sizes (BTC 100 USD, others 10 USD) and base/quote from symbols until it loads'
            : 'could not load USD-M exchange info; base/quote are guessed from symbols until it loads',
      );
    }
  }

  function prepare(): Promise<void> {
    preparing ??= Promise.all(options.markets.map((market) => loadExchangeInfo(market))).then(() => {
      if (stopped || options.exchangeInfoRefresh <= 0) return;
      refreshTimer = setInterval(() => {
        // Forget fallback warnings so that symbols still missing after a refresh are reported again.
        warned.clear();
        void Promise.all(options.markets.map((market) => loadExchangeInfo(market)));
      }, options.exchangeInfoRefresh);
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
        });
        feeds.push({ market, url, client });
      }
    }
  }

  return {
    prepare,

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
        logger.warn({ feeds: feeds.map((f) => f.url) }, 'binance: not all feeds connected yet; retrying in the background');
      }
    },

    async stop() {
      stopped = true;
      clearInterval(refreshTimer);
      refreshTimer = undefined;
      await Promise.all(feeds.map((feed) => feed.client.stop()));
    },

    decode(frame: RawFrame): Liquidation[] {
      return decodeFrame(frame, decodeContext);
    },

    health(): SourceHealth {
      const stats = feeds.map((feed) => ({ market: feed.market, url: feed.url, ...feed.client.stats() }));
      const last = stats.map((s) => s.lastMessageAt ?? 0).reduce((a, b) => Math.max(a, b), 0);
      return {
        connected: stats.some((s) => s.state === 'open'),
        lastMessageAt: last > 0 ? last : undefined,
        reconnects: stats.reduce((sum, s) => sum + s.reconnects, 0),
        details: {
          feeds: stats,
          exchangeInfo: Object.fromEntries(options.markets.map((m) => [m, instruments.isLoaded(m) ? instruments.size(m) : 'unavailable'])),
        },
      };
    },
  };
}
