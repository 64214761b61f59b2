/**
 * The Gate futures source instance: loads the contract list, runs one {@link GateStream} per market,
 * refreshes the list on a timer and decodes frames.
 *
 * Lifecycle:
 * 1. `prepare(reference?)` loads the contracts of every market (or takes them from `reference`, with
 *    no I/O). A failure is logged; `start()` tries again.
 * 2. `start()` throws a `SourceUnreachableError` (core retries) while no market's contracts could be
 *    listed: without multipliers no liquidation can be priced. Then it opens the streams.
 * 3. Every `refreshInterval` (and when core calls `refresh()` after an unknown contract) the list is
 *    fetched again; a failed fetch keeps the old list and is retried within a minute.
 * 4. `stop()` clears the timer and closes every stream.
 */
import type { Liquidation, RawFrame, ReferenceData, SourceContext, SourceHealth, SourceInstance } from '@liqmon/core';
import { failureText, logFailure, SourceUnreachableError } from '@liqmon/core';
import type { WsOverrides } from './connection.js';
import { GateStream } from './connection.js';
import { ContractBook } from './contract-book.js';
import { fetchContracts } from './contracts.js';
import { decodeGateFrame } from './decode.js';
import type { GateMarket, GateOptions } from './options.js';
import { streamUrl } from './protocol.js';

/** After a failed listing, try again this soon rather than a whole `refreshInterval` later. */
export const RETRY_AFTER_MS = 60_000;

/** Test seams: WebSocket client overrides. Core never passes these. */
export interface GateSourceInternals {
  ws?: WsOverrides;
}

/** Build a Gate source instance. No I/O happens until `prepare`/`start`. */
export function createGateSource(options: GateOptions, context: SourceContext, internals: GateSourceInternals = {}): SourceInstance {
  const { logger } = context;
  const contracts = new ContractBook();
  const decodeContext = { source: context.name, contracts };
  const streams = new Map<GateMarket, GateStream>();
  /** Why each market's last listing failed (cleared on success). */
  const failures = new Map<GateMarket, unknown>();
  let refreshTimer: NodeJS.Timeout | undefined;
  let stopped = false;
  const restHost = new URL(options.restUrl).host;

  /** List every market; true when all succeeded. Failures are remembered, not logged, here. */
  async function listAll(): Promise<boolean> {
    const results = await Promise.all(
      options.markets.map(async (market) => {
        try {
          contracts.add(await fetchContracts(options.restUrl, market, context.signal), market);
          failures.delete(market);
          return true;
        } catch (error) {
          if (!context.signal.aborted) failures.set(market, error);
          return false;
        }
      }),
    );
    return results.every(Boolean);
  }

  function reportFailures(retryInMs: number | undefined): void {
    for (const [market, error] of failures) {
      logFailure(logger, { subject: context.name, action: `cannot list ${market} contracts`, host: restHost, error, ...(retryInMs !== undefined ? { retryInMs } : {}), unexpectedLevel: 'warn' });
    }
  }

  async function refresh(): Promise<void> {
    const complete = await listAll();
    if (stopped) return;
    const next = complete ? options.refreshInterval : Math.min(RETRY_AFTER_MS, options.refreshInterval);
    if (!complete) reportFailures(next);
    schedule(next);
  }

  function schedule(delay: number): void {
    if (stopped) return;
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => void refresh(), delay);
  }

  /** The contracts to subscribe on a market's stream: undefined (`!all`) unless `symbols` is set. */
  function contractsOf(market: GateMarket): string[] | undefined {
    if (!options.symbols) return undefined;
    // A contract the list does not know goes by its name: `_USD` is BTC-settled inverse, the rest USDT.
    return options.symbols.filter((name) => (contracts.marketOf(name) ?? (name.endsWith('_USD') ? 'inverse' : 'linear')) === market);
  }

  return {
    async prepare(reference?: ReferenceData) {
      if (reference !== undefined && contracts.loadReference(reference)) return;
      if (reference !== undefined) logger.warn('the reference data given is not a Gate contract list; listing the contracts instead');
      if (!(await listAll())) reportFailures(undefined);
    },

    reference() {
      return contracts.toReference();
    },

    async refresh() {
      if (!(await listAll())) reportFailures(undefined);
    },

    async start() {
      if (options.markets.some((market) => !contracts.has(market))) await listAll();
      if (options.markets.every((market) => !contracts.has(market))) {
        throw new SourceUnreachableError('cannot list contracts', restHost, {
          cause: failures.values().next().value,
          hint: `Check network access to ${restHost}: contract sizes come from its contract list.`,
        });
      }
      if (stopped) return;
      for (const market of options.markets) {
        const subscribed = contractsOf(market);
        if (subscribed?.length === 0) continue;
        streams.set(
          market,
          new GateStream({
            market,
            url: streamUrl(options.wsUrl, market),
            contracts: subscribed,
            staleAfter: options.staleAfter,
            onFrame: (frame: RawFrame) => context.frame(frame),
            logger: logger.child({ market }),
            signal: context.signal,
            ws: { maxFrameBytes: context.maxFrameBytes, onOversized: () => context.frameTooLarge(), ...internals.ws },
          }),
        );
      }
      await Promise.all([...streams.values()].map((stream) => stream.start()));
      const complete = options.markets.every((market) => contracts.has(market) && !failures.has(market));
      if (!complete) reportFailures(RETRY_AFTER_MS);
      schedule(complete ? options.refreshInterval : RETRY_AFTER_MS);
    },

    async stop() {
      stopped = true;
      clearTimeout(refreshTimer);
      await Promise.all([...streams.values()].map((stream) => stream.stop()));
    },

    decode(frame: RawFrame): readonly Liquidation[] {
      return decodeGateFrame(frame, decodeContext);
    },

    health(): SourceHealth {
      const list = [...streams.values()].map((stream) => stream.health());
      const lastMessageAt = Math.max(0, ...list.map((stream) => stream.lastMessageAt ?? 0));
      const failing = list.find((stream) => stream.state !== 'open' && stream.lastFailure !== undefined);
      const refused = list.find((stream) => stream.refusal !== undefined);
      const listing = failures.values().next();
      const problem =
        failing?.lastFailure ??
        (refused ? `subscription refused: ${refused.refusal}` : listing.done ? undefined : failureText(listing.value, 'cannot list contracts'));
      return {
        connected: [...streams.values()].some((stream) => stream.connected),
        ...(lastMessageAt > 0 ? { lastMessageAt } : {}),
        reconnects: list.reduce((sum, stream) => sum + stream.reconnects, 0),
        feeds: Object.fromEntries(options.markets.map((market) => [market, streams.get(market)?.connected ?? false])),
        ...(problem !== undefined ? { problem } : {}),
        details: { streams: list, contracts: contracts.size },
      };
    },
  };
}
