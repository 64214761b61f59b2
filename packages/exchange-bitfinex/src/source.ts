/**
 * The Bitfinex source instance: one connection to `/ws/2` subscribed to the status channel
 * `liq:global`, which carries every liquidation of every pair.
 *
 * - Every (re)connect subscribes `{"event":"subscribe","channel":"status","key":"liq:global"}`; the
 *   reply `{"event":"subscribed",...,"chanId":N}` names the channel id of the data frames `[N, ...]`.
 * - The first data frame after subscribing is a snapshot of recent liquidations (history): it is handed
 *   to core on the `liq-snapshot` channel, which the decoder never alerts; every later one on `liq`.
 * - Keepalive: `{"event":"ping","cid":n}` every third of `staleAfter` (at most 20 s), answered by
 *   `{"event":"pong",...}`; Bitfinex also sends `[N,"hb"]` every 15 s. A connection silent past
 *   `staleAfter` is replaced and resubscribed.
 */
import type { Liquidation, RawFrame, SourceContext, SourceHealth, SourceInstance } from '@liqmon/core';
import { ReconnectingWebSocket, type ReconnectingWebSocketOptions } from '@liqmon/core/ws';
import { decodeBitfinexFrame, LIVE_CHANNEL, SNAPSHOT_CHANNEL } from './decode.js';
import type { BitfinexOptions } from './options.js';

/** `start()` waits this long for the subscribe reply, then carries on (the client keeps going). */
export const ACK_WAIT_MS = 10_000;

/** The subscribe request of the liquidation feed. */
export const SUBSCRIBE = JSON.stringify({ event: 'subscribe', channel: 'status', key: 'liq:global' });

/** `wss://api-pub.bitfinex.com` + `/ws/2`. */
export function feedUrl(wsUrl: string): string {
  return `${wsUrl.replace(/\/+$/, '')}/ws/2`;
}

/** Time between two pings: a third of `staleAfter`, at most 20 s. */
export function pingIntervalFor(staleAfter: number): number {
  return Math.max(1, Math.min(20_000, Math.floor(staleAfter / 3)));
}

/** Test seams: client options. Core never passes these. */
export interface BitfinexSourceInternals {
  ws?: Partial<Omit<ReconnectingWebSocketOptions, 'url' | 'onMessage' | 'onOpen'>>;
}

/** Build a Bitfinex source instance. No I/O happens until `start`. */
export function createBitfinexSource(options: BitfinexOptions, context: SourceContext, internals: BitfinexSourceInternals = {}): SourceInstance {
  const logger = context.logger;
  let nonUsd = 0;
  const decodeContext = { source: context.name, onNonUsd: () => void (nonUsd += 1) };
  let chanId: number | undefined;
  let snapshotDue = false;
  let subscribedAt: number | undefined;
  let refusal: string | undefined;
  let cid = 0;
  let waiters: (() => void)[] = [];
  const wake = (): void => {
    for (const resolve of waiters.splice(0)) resolve();
  };

  function onControl(data: string): void {
    let message: { event?: unknown; chanId?: unknown; key?: unknown; msg?: unknown; code?: unknown };
    try {
      message = JSON.parse(data) as typeof message;
    } catch {
      return;
    }
    if (message.event === 'subscribed' && message.key === 'liq:global' && typeof message.chanId === 'number') {
      chanId = message.chanId;
      snapshotDue = true;
      subscribedAt = Date.now();
      refusal = undefined;
      wake();
    } else if (message.event === 'error') {
      refusal = `${String(message.msg ?? 'error')} (code ${String(message.code)})`;
      logger.warn({ msg: message.msg, code: message.code }, 'Bitfinex refused the liq:global subscription; it is sent again on the next connection');
      wake();
    }
  }

  function channelOf(data: string): string {
    if (!snapshotDue || chanId === undefined || !data.startsWith(`[${chanId},`) || data.startsWith(`[${chanId},"hb"`)) return LIVE_CHANNEL;
    snapshotDue = false;
    return SNAPSHOT_CHANNEL;
  }

  const client = new ReconnectingWebSocket({
    name: `${context.name}/liq`,
    url: feedUrl(options.wsUrl),
    logger,
    signal: context.signal,
    staleAfter: options.staleAfter,
    heartbeat: {
      interval: pingIntervalFor(options.staleAfter),
      message: () => JSON.stringify({ event: 'ping', cid: ++cid }),
      isReply: (data) => data.startsWith('{"event":"pong"'),
    },
    maxFrameBytes: context.maxFrameBytes,
    onOversized: () => context.frameTooLarge(),
    ...internals.ws,
    onOpen: (connection) => {
      chanId = undefined;
      snapshotDue = false;
      subscribedAt = undefined;
      connection.send(SUBSCRIBE);
    },
    onMessage: (data, { receivedAt }) => {
      const isControl = data.startsWith('{');
      context.frame({ channel: isControl ? LIVE_CHANNEL : channelOf(data), data, receivedAt });
      if (isControl) onControl(data);
    },
  });

  return {
    async start() {
      const answered = new Promise<void>((resolve) => waiters.push(resolve));
      await client.start();
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ACK_WAIT_MS)));
      if ((await Promise.race([answered, late])) === 'late') logger.warn('Bitfinex did not answer the liq:global subscription in time; carrying on');
      clearTimeout(timer);
    },

    async stop() {
      waiters = [];
      await client.stop();
    },

    decode(frame: RawFrame): readonly Liquidation[] {
      return decodeBitfinexFrame(frame, decodeContext);
    },

    health(): SourceHealth {
      const stats = client.stats();
      const open = stats.state === 'open' && chanId !== undefined;
      const problem = stats.lastFailure ?? refusal;
      return {
        connected: open,
        lastMessageAt: stats.lastMessageAt,
        reconnects: stats.reconnects,
        feeds: { 'liq:global': open },
        ...(problem !== undefined ? { problem } : {}),
        details: { chanId, subscribedAt, skippedNonUsdQuote: nonUsd },
      };
    },
  };
}
