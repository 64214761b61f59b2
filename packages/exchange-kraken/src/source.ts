/**
 * The Kraken Futures source instance: one WebSocket connection to `/ws/v1` carrying the `trade` feed of
 * every product, the instrument list behind it, and a refresh timer.
 *
 * Lifecycle:
 * 1. `prepare(reference?)` loads the instrument list (or takes a saved one and does no I/O). A failure
 *    is logged; `start` tries again.
 * 2. `start()` connects; every (re)connect subscribes the products in batches
 *    (`{"event":"subscribe","feed":"trade","product_ids":[...]}`); Kraken acks each product with
 *    `{"event":"subscribed",...}` and refuses with `subscribed_failed` or `error` (logged, the others
 *    carry on). It resolves once every product is acked, or after {@link ACK_WAIT_MS}.
 * 3. Every `refreshInterval` (and when core asks after an unknown product) the list is fetched again,
 *    new products are subscribed and delisted ones unsubscribed on the live connection.
 * 4. `stop()` clears the timer and closes the connection.
 *
 * Keepalive: Kraken wants "a ping request at least every 60 seconds"
 * (support.kraken.com/hc/en-us/articles/360022635632), busy or not, so the client sends a WebSocket
 * ping on a schedule ({@link pingIntervalFor}); a connection silent past `staleAfter` is replaced and
 * resubscribed.
 */
import type { Liquidation, RawFrame, ReferenceData, SourceContext, SourceHealth, SourceInstance } from '@liqmon/core';
import { failureText, logFailure, SourceUnreachableError } from '@liqmon/core';
import { ReconnectingWebSocket, type ReconnectingWebSocketOptions, type WsConnection } from '@liqmon/core/ws';
import { decodeKrakenFrame } from './decode.js';
import { fetchKrakenInstruments, readReference, type KrakenInstrument, type KrakenReference } from './instruments.js';
import type { KrakenOptions } from './options.js';
import { readControl, subscribeRequests } from './protocol.js';

/** `start()` waits this long for the subscribe acks, then carries on (the feed keeps going). */
export const ACK_WAIT_MS = 10_000;
/** After a failed refresh, try again this soon rather than a whole `refreshInterval` later. */
export const RETRY_AFTER_MS = 60_000;

/** Time between two WebSocket pings: a third of `staleAfter`, at most 30 s (Kraken's limit is 60 s). */
export function pingIntervalFor(staleAfter: number): number {
  return Math.max(1, Math.min(30_000, Math.floor(staleAfter / 3)));
}

/** `wss://futures.kraken.com` + `/ws/v1`. */
export function feedUrl(wsUrl: string): string {
  return `${wsUrl.replace(/\/+$/, '')}/ws/v1`;
}

/** Test seams: client options. Core never passes these. */
export interface KrakenSourceInternals {
  ws?: Partial<Omit<ReconnectingWebSocketOptions, 'url' | 'onMessage' | 'onOpen'>>;
}

/** Build a Kraken Futures source instance. No I/O happens until `prepare`/`start`. */
export function createKrakenSource(options: KrakenOptions, context: SourceContext, internals: KrakenSourceInternals = {}): SourceInstance {
  const logger = context.logger;
  const instruments = new Map<string, KrakenInstrument>();
  const decodeContext = { source: context.name, instruments };
  const restHost = new URL(options.restUrl).host;
  /** Products this instance wants subscribed, and what Kraken said about each on the current connection. */
  let wanted = new Set<string>();
  const subscribed = new Set<string>();
  const refused = new Map<string, string>();
  let connection: WsConnection | undefined;
  let client: ReconnectingWebSocket | undefined;
  let listed = false;
  /** The latest listing: what is subscribed (the map above also keeps delisted products for late frames). */
  let current: readonly KrakenInstrument[] = [];
  let listingFailure: unknown;
  let refreshTimer: NodeJS.Timeout | undefined;
  let stopped = false;
  let ackWaiters: (() => void)[] = [];

  async function list(): Promise<boolean> {
    try {
      const fresh = await fetchKrakenInstruments(options.restUrl, context.signal);
      // Entries are replaced, never removed: a late frame of a delisted product still decodes.
      for (const instrument of fresh) instruments.set(instrument.symbol, instrument);
      current = fresh;
      listed = true;
      listingFailure = undefined;
      logger.debug({ instruments: fresh.length }, 'Kraken Futures instruments listed');
      return true;
    } catch (error) {
      if (context.signal.aborted) return false;
      listingFailure = error;
      return false;
    }
  }

  function products(): Set<string> {
    if (options.symbols) return new Set(options.symbols.map((symbol) => symbol.toUpperCase()));
    const chosen = new Set<string>();
    for (const instrument of current) {
      if (instrument.tradeable && options.markets.includes(instrument.market)) chosen.add(instrument.symbol);
    }
    return chosen;
  }

  function send(event: 'subscribe' | 'unsubscribe', ids: readonly string[]): void {
    if (!connection || ids.length === 0) return;
    for (const request of subscribeRequests(event, ids)) connection.send(request);
  }

  /** Subscribe what is new, unsubscribe what went away, on the live connection. */
  function sync(): void {
    const next = products();
    if (next.size === 0 && wanted.size > 0) {
      logger.warn('Kraken Futures listed no products; keeping the current subscriptions');
      return;
    }
    const added = [...next].filter((id) => !wanted.has(id));
    const removed = [...wanted].filter((id) => !next.has(id));
    wanted = next;
    for (const id of removed) {
      subscribed.delete(id);
      refused.delete(id);
    }
    send('unsubscribe', removed);
    send('subscribe', added);
    if (added.length > 0 || removed.length > 0) logger.info({ subscribed: added, unsubscribed: removed }, 'Kraken Futures products changed');
  }

  function onOpen(open: WsConnection): void {
    connection = open;
    subscribed.clear();
    refused.clear();
    send('subscribe', [...wanted]);
  }

  function onMessage(data: string, receivedAt: number, connectionId: number): void {
    context.frame({ channel: 'trade', data, receivedAt });
    if (connectionId !== connection?.id) return;
    const control = readControl(data);
    if (!control) return;
    if (control.event === 'subscribed') {
      for (const id of control.productIds) if (wanted.has(id)) subscribed.add(id);
    } else if (control.event === 'subscribed_failed' || control.event === 'error') {
      const ids = control.productIds.length > 0 ? control.productIds : [...wanted].filter((id) => !subscribed.has(id) && !refused.has(id));
      for (const id of ids) refused.set(id, control.message);
      logger.warn({ products: ids, message: control.message }, 'Kraken Futures refused a subscription; the other products carry on');
    } else {
      return;
    }
    if ([...wanted].every((id) => subscribed.has(id) || refused.has(id))) {
      const waiters = ackWaiters;
      ackWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  async function refresh(): Promise<void> {
    const ok = await list();
    if (stopped) return;
    if (ok && client) sync();
    if (!ok) {
      logFailure(logger, { subject: context.name, action: 'cannot list instruments', host: restHost, error: listingFailure, retryInMs: RETRY_AFTER_MS, unexpectedLevel: 'warn' });
    }
    schedule(ok ? options.refreshInterval : Math.min(RETRY_AFTER_MS, options.refreshInterval));
  }

  function schedule(delay: number): void {
    if (stopped) return;
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => void refresh(), delay);
  }

  return {
    async prepare(reference?: ReferenceData) {
      const saved = reference === undefined ? undefined : readReference(reference);
      if (saved) {
        for (const instrument of saved) instruments.set(instrument.symbol, instrument);
        current = saved;
        listed = true;
        return;
      }
      if (reference !== undefined) logger.warn('Kraken Futures: the reference data given is not this source\'s; listing instruments instead');
      await list();
    },

    reference(): KrakenReference | undefined {
      return listed ? { kraken: 1, instruments: [...instruments.values()] } : undefined;
    },

    refresh,

    async start() {
      if (!listed && !(await list())) {
        throw new SourceUnreachableError('cannot list instruments', restHost, { cause: listingFailure });
      }
      wanted = products();
      const staleAfter = options.staleAfter;
      client = new ReconnectingWebSocket({
        name: `${context.name}/trade`,
        url: feedUrl(options.wsUrl),
        logger,
        signal: context.signal,
        staleAfter,
        pingInterval: pingIntervalFor(staleAfter),
        maxFrameBytes: context.maxFrameBytes,
        onOversized: () => context.frameTooLarge(),
        ...internals.ws,
        onOpen,
        onMessage: (data, info) => onMessage(data, info.receivedAt, info.connectionId),
      });
      client.on('close', ({ connectionId }) => {
        if (connection?.id === connectionId) connection = undefined;
      });
      const acked = new Promise<void>((resolve) => ackWaiters.push(resolve));
      await client.start();
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ACK_WAIT_MS)));
      if ((await Promise.race([acked, late])) === 'late' && !stopped) logger.warn('Kraken Futures did not ack every product in time; carrying on');
      clearTimeout(timer);
      if (!options.symbols) schedule(options.refreshInterval);
    },

    async stop() {
      stopped = true;
      clearTimeout(refreshTimer);
      for (const resolve of ackWaiters.splice(0)) resolve();
      await client?.stop();
    },

    decode(frame: RawFrame): readonly Liquidation[] {
      return decodeKrakenFrame(frame, decodeContext);
    },

    health(): SourceHealth {
      const stats = client?.stats();
      const open = stats?.state === 'open';
      const problem = stats?.lastFailure ?? (listingFailure === undefined ? undefined : failureText(listingFailure, 'cannot list instruments'));
      return {
        connected: open,
        lastMessageAt: stats?.lastMessageAt,
        reconnects: stats?.reconnects ?? 0,
        feeds: { trade: open },
        ...(problem !== undefined ? { problem } : {}),
        details: { instruments: instruments.size, products: wanted.size, subscribed: subscribed.size, refused: Object.fromEntries(refused) },
      };
    },
  };
}
