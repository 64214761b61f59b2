/**
 * The dYdX v4 source instance: the market list, the connections that carry each market's `v4_trades`
 * channel, and a refresh timer.
 *
 * Lifecycle:
 * 1. `prepare()` lists the markets (`/v4/perpetualMarkets`). A failure is logged; `start` tries again.
 *    Decoding needs no reference data, so a replay decodes offline without it.
 * 2. `start()` spreads the markets over connections of at most `marketsPerConnection` each and
 *    resolves once every market is acked (or after {@link ACK_WAIT_MS}).
 * 3. Every `refreshInterval` the list is fetched again: new markets are subscribed on connections with
 *    room (a new connection only for the overflow), delisted ones unsubscribed.
 * 4. `stop()` clears the timer and closes every connection.
 */
import type { Liquidation, RawFrame, SourceContext, SourceHealth, SourceInstance } from '@liqmon/core';
import { failureText, logFailure, SourceUnreachableError } from '@liqmon/core';
import { DydxConnection, type WsOverrides } from './connection.js';
import { decodeDydxFrame } from './decode.js';
import { fetchDydxMarkets } from './markets.js';
import type { DydxOptions } from './options.js';

/** `start()` (and a refresh) waits this long for subscribe answers, then carries on. */
export const ACK_WAIT_MS = 10_000;
/** After a failed refresh, try again this soon rather than a whole `refreshInterval` later. */
export const RETRY_AFTER_MS = 60_000;

/** `wss://indexer.dydx.trade` + `/v4/ws`. */
export function feedUrl(wsUrl: string): string {
  return `${wsUrl.replace(/\/+$/, '')}/v4/ws`;
}

/** Test seams: client options. Core never passes these. */
export interface DydxSourceInternals {
  ws?: WsOverrides;
}

/** Build a dYdX v4 source instance. No I/O happens until `prepare`/`start`. */
export function createDydxSource(options: DydxOptions, context: SourceContext, internals: DydxSourceInternals = {}): SourceInstance {
  const logger = context.logger;
  const decodeContext = { source: context.name };
  const restHost = new URL(options.restUrl).host;
  const connections: DydxConnection[] = [];
  let listed: string[] | undefined;
  let listingFailure: unknown;
  let refreshTimer: NodeJS.Timeout | undefined;
  let stopped = false;
  let opened = 0;

  async function list(): Promise<boolean> {
    try {
      listed = await fetchDydxMarkets(options.restUrl, context.signal);
      listingFailure = undefined;
      logger.debug({ markets: listed.length }, 'dYdX markets listed');
      return true;
    } catch (error) {
      if (!context.signal.aborted) listingFailure = error;
      return false;
    }
  }

  function wanted(): string[] {
    return options.symbols ? [...new Set(options.symbols)] : (listed ?? []);
  }

  async function open(markets: readonly string[]): Promise<void> {
    const created: DydxConnection[] = [];
    for (let start = 0; start < markets.length && !stopped; start += options.marketsPerConnection) {
      opened += 1;
      const name = `trades#${opened}`;
      created.push(
        new DydxConnection({
          url: feedUrl(options.wsUrl),
          name,
          markets: markets.slice(start, start + options.marketsPerConnection),
          onFrame: (frame) => context.frame(frame),
          logger: logger.child({ connection: name }),
          signal: context.signal,
          ws: { staleAfter: options.staleAfter, maxFrameBytes: context.maxFrameBytes, onOversized: () => context.frameTooLarge(), ...internals.ws },
        }),
      );
    }
    connections.push(...created);
    await Promise.all(created.map((connection) => connection.start(ACK_WAIT_MS)));
  }

  /** Make the connections carry exactly the wanted markets, on the live sockets. */
  async function sync(): Promise<void> {
    const next = wanted();
    const current = new Set(connections.flatMap((connection) => connection.markets));
    if (next.length === 0 && current.size > 0) {
      logger.warn('dYdX listed no markets; keeping the current subscriptions');
      return;
    }
    const desired = new Set(next);
    const removed = [...current].filter((market) => !desired.has(market));
    let added = next.filter((market) => !current.has(market));
    if (removed.length > 0) for (const connection of connections) connection.remove(removed);
    for (const connection of connections) {
      const room = options.marketsPerConnection - connection.markets.length;
      if (room <= 0 || added.length === 0) continue;
      connection.add(added.slice(0, room));
      added = added.slice(room);
    }
    await open(added);
    if (current.size > 0 && (removed.length > 0 || next.length !== current.size)) {
      logger.info({ unsubscribed: removed, markets: next.length }, 'dYdX markets changed');
    }
  }

  async function refresh(): Promise<void> {
    const ok = await list();
    if (stopped) return;
    if (ok && connections.length > 0) await sync();
    if (!ok) logFailure(logger, { subject: context.name, action: 'cannot list markets', host: restHost, error: listingFailure, retryInMs: RETRY_AFTER_MS, unexpectedLevel: 'warn' });
    schedule(ok ? options.refreshInterval : Math.min(RETRY_AFTER_MS, options.refreshInterval));
  }

  function schedule(delay: number): void {
    if (stopped) return;
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => void refresh(), delay);
  }

  return {
    async prepare() {
      if (!options.symbols) await list();
    },

    refresh,

    async start() {
      if (!options.symbols && !listed && !(await list())) {
        throw new SourceUnreachableError('cannot list markets', restHost, { cause: listingFailure });
      }
      await sync();
      if (!options.symbols) schedule(options.refreshInterval);
    },

    async stop() {
      stopped = true;
      clearTimeout(refreshTimer);
      await Promise.all(connections.map((connection) => connection.stop()));
    },

    decode(frame: RawFrame): readonly Liquidation[] {
      return decodeDydxFrame(frame, decodeContext);
    },

    health(): SourceHealth {
      const details = connections.map((connection) => connection.health());
      const lastMessageAt = Math.max(0, ...details.map((connection) => connection.lastMessageAt ?? 0));
      const failing = details.find((connection) => connection.state !== 'open' && connection.lastFailure !== undefined);
      const problem = failing?.lastFailure ?? (listingFailure === undefined ? undefined : failureText(listingFailure, 'cannot list markets'));
      const open = connections.length > 0 && connections.every((connection) => connection.connected);
      return {
        connected: connections.some((connection) => connection.connected),
        lastMessageAt: lastMessageAt > 0 ? lastMessageAt : undefined,
        reconnects: details.reduce((sum, connection) => sum + connection.reconnects, 0),
        feeds: { v4_trades: open },
        ...(problem !== undefined ? { problem } : {}),
        details: { connections: details, markets: wanted().length },
      };
    },
  };
}
