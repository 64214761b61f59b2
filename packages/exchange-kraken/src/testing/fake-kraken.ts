/**
 * A fake Kraken Futures for tests, on core's `FakeExchangeServer`: the `/ws/v1` WebSocket with the
 * `info` greeting, per-product `subscribed` acks (an unknown product is refused with an `error`), a
 * `trade_snapshot` after each subscription, trade frames only for subscribed products, and
 * `GET /derivatives/api/v3/instruments`. Shapes follow docs.kraken.com/api/docs/futures-api and the
 * recorded frames in test/fixtures/.
 */
import { FakeExchangeServer, type FakeClient } from '@liqmon/core/testing';

/** One product listed by the fake's instrument list. */
export interface FakeKrakenInstrument {
  symbol: string;
  /** `futures_inverse` (PI_/FI_), `flexible_futures` (PF_) or `futures_vanilla` (FF_). */
  type: string;
  contractSize: number;
  tradeable?: boolean;
  base?: string;
  quote?: string;
}

/** Options of {@link FakeKraken.start}. */
export interface FakeKrakenOptions {
  /** Products listed (a bare id gets its type from its prefix and contract size 1). */
  instruments?: readonly (string | FakeKrakenInstrument)[];
  /**
   * Close a client that sent nothing (no message, no ping) for this long, ms, as Kraken closes a
   * connection without a ping for 60 s. @default off
   */
  idleTimeout?: number;
}

/** One liquidation to push, in trade-feed terms. */
export interface FakeKrakenTrade {
  /** Taker side: `sell` = a long was liquidated. @default 'sell' */
  side?: 'buy' | 'sell';
  /** Contracts. @default 1 */
  qty?: number;
  /** @default 100 */
  price?: number;
  /** @default Date.now() */
  time?: number;
  /** Trade id. @default a counter */
  uid?: string;
  /** @default 'liquidation' */
  type?: string;
}

function toInstrument(entry: string | FakeKrakenInstrument): FakeKrakenInstrument {
  if (typeof entry !== 'string') return entry;
  const type = entry.startsWith('PF_') ? 'flexible_futures' : entry.startsWith('FF_') ? 'futures_vanilla' : 'futures_inverse';
  return { symbol: entry, type, contractSize: 1, tradeable: true };
}

/** The fake Kraken Futures. Create with {@link FakeKraken.start}; always `close()` it. */
export class FakeKraken {
  /** Subscribe and unsubscribe requests received, in order. */
  readonly requests: { client: number; event: string; productIds: string[] }[] = [];
  private instruments: FakeKrakenInstrument[];
  private readonly subscribed = new Map<number, Set<string>>();
  private seq = 0;

  private constructor(
    readonly server: FakeExchangeServer,
    options: FakeKrakenOptions,
  ) {
    this.instruments = (options.instruments ?? []).map(toInstrument);
  }

  /** Start on 127.0.0.1 with a free port. */
  static async start(options: FakeKrakenOptions = {}): Promise<FakeKraken> {
    const holder: { fake?: FakeKraken } = {};
    const server = await FakeExchangeServer.start({
      ...(options.idleTimeout === undefined ? {} : { idleTimeout: options.idleTimeout }),
      acceptPath: (path) => path === '/ws/v1',
      onConnection: (client) => client.send({ event: 'info', version: 1 }),
      onClientMessage: (client, data) => holder.fake?.onMessage(client, data),
      rest: { '/derivatives/api/v3/instruments': () => holder.fake?.instrumentList() },
    });
    holder.fake = new FakeKraken(server, options);
    return holder.fake;
  }

  /** Base URL to give the source as both `wsUrl` and (with http) `restUrl`. */
  get wsUrl(): string {
    return this.server.wsUrl;
  }

  get restUrl(): string {
    return this.server.httpUrl;
  }

  /** Replace the listed products (a listing or a delisting at the next refresh). */
  setInstruments(entries: readonly (string | FakeKrakenInstrument)[]): void {
    this.instruments = entries.map(toInstrument);
  }

  /** Products subscribed now, across connected clients (with duplicates). */
  subscribedProducts(): string[] {
    return this.server.match().flatMap((client) => [...(this.subscribed.get(client.id) ?? [])]);
  }

  /** Push one trade of `productId` to the clients subscribed to it; returns how many got it. */
  liquidation(productId: string, trade: FakeKrakenTrade = {}): number {
    this.seq += 1;
    const frame = {
      feed: 'trade',
      product_id: productId,
      uid: trade.uid ?? `fake-${this.seq}`,
      side: trade.side ?? 'sell',
      type: trade.type ?? 'liquidation',
      seq: this.seq,
      time: trade.time ?? Date.now(),
      qty: trade.qty ?? 1,
      price: trade.price ?? 100,
    };
    return this.server.push(JSON.stringify(frame), (client) => this.subscribed.get(client.id)?.has(productId) ?? false);
  }

  /** Cut every connection. */
  dropAll(): void {
    this.server.dropAll();
  }

  close(): Promise<void> {
    return this.server.close();
  }

  private onMessage(client: FakeClient, data: string): void {
    let message: { event?: unknown; feed?: unknown; product_ids?: unknown };
    try {
      message = JSON.parse(data) as typeof message;
    } catch {
      client.send({ event: 'error', message: 'Json Error' });
      return;
    }
    if ((message.event !== 'subscribe' && message.event !== 'unsubscribe') || message.feed !== 'trade') {
      client.send({ event: 'error', message: 'Invalid feed' });
      return;
    }
    const ids = Array.isArray(message.product_ids) ? message.product_ids.filter((id): id is string => typeof id === 'string') : [];
    this.requests.push({ client: client.id, event: message.event, productIds: ids });
    const mine = this.subscribed.get(client.id) ?? new Set<string>();
    this.subscribed.set(client.id, mine);
    for (const id of ids) {
      const product = id.toUpperCase();
      if (message.event === 'unsubscribe') {
        mine.delete(product);
        client.send({ event: 'unsubscribed', feed: 'trade', product_ids: [product] });
      } else if (this.instruments.some((instrument) => instrument.symbol === product)) {
        mine.add(product);
        client.send({ event: 'subscribed', feed: 'trade', product_ids: [product] });
        client.send({ feed: 'trade_snapshot', product_id: product, trades: [] });
      } else {
        client.send({ event: 'error', message: 'Invalid product id' });
      }
    }
  }

  private instrumentList(): unknown {
    return { result: 'success', instruments: this.instruments.map((instrument) => ({ tradeable: true, ...instrument })), serverTime: new Date().toISOString() };
  }
}
