/**
 * A fake Bitfinex for tests, on core's `FakeExchangeServer`: `/ws/2` with the `info` greeting, the
 * status channel `liq:global` (its `subscribed` reply with a channel id, then a snapshot of recent
 * liquidations, then updates only to subscribed clients), `[CHAN_ID,"hb"]` heartbeats, `ping`/`pong`
 * and `error` replies for other subscriptions. Shapes follow docs.bitfinex.com/reference/ws-public-status
 * and the recorded frames in test/fixtures/.
 */
import { FakeExchangeServer, type FakeClient } from '@liqmon/core/testing';

/** Options of {@link FakeBitfinex.start}. */
export interface FakeBitfinexOptions {
  /** Send `[CHAN_ID,"hb"]` to each subscribed client this often, ms (Bitfinex: 15 s). @default 15_000 */
  heartbeatInterval?: number;
  /** Close a client that sent nothing (no message, no ping) for this long, ms. @default off */
  idleTimeout?: number;
}

/** One liquidation row to push. */
export interface FakeBitfinexLiquidation {
  /** Trading symbol. @default 'tBTCF0:USTF0' */
  symbol?: string;
  /** Position amount: > 0 a long, < 0 a short, base units. @default 0.5 */
  amount?: number;
  /** PRICE_ACQUIRED. @default 60000 */
  price?: number;
  /** BASE_PRICE, the position's entry price. @default price x 1.01 */
  basePrice?: number;
  /** IS_MATCH: 1 the execution, 0 the trigger. @default 1 */
  isMatch?: 0 | 1;
  /** @default now */
  time?: number;
  /** @default a counter */
  posId?: number;
}

/** The fake Bitfinex. Create with {@link FakeBitfinex.start}; always `close()` it. */
export class FakeBitfinex {
  /** Subscribe requests received, in order. */
  readonly subscribes: { client: number; channel: unknown; key: unknown }[] = [];
  /** `{"event":"ping"}` messages received. */
  pings = 0;
  private readonly channels = new Map<number, number>();
  private nextChannel = 91_684;
  private posId = 160_000_000;

  private constructor(readonly server: FakeExchangeServer) {}

  /** Start on 127.0.0.1 with a free port. */
  static async start(options: FakeBitfinexOptions = {}): Promise<FakeBitfinex> {
    const holder: { fake?: FakeBitfinex } = {};
    const server = await FakeExchangeServer.start({
      ...(options.idleTimeout === undefined ? {} : { idleTimeout: options.idleTimeout }),
      acceptPath: (path) => path === '/ws/2',
      onConnection: (client) => client.send({ event: 'info', version: 2, serverId: 'fake-bitfinex', platform: { status: 1 } }),
      onClientMessage: (client, data) => holder.fake?.onMessage(client, data),
    });
    const fake = new FakeBitfinex(server);
    holder.fake = fake;
    const timer = setInterval(() => {
      for (const client of server.match()) {
        const chanId = fake.channels.get(client.id);
        if (chanId !== undefined) client.send(`[${chanId},"hb"]`);
      }
    }, options.heartbeatInterval ?? 15_000);
    timer.unref();
    const close = server.close.bind(server);
    server.close = async () => {
      clearInterval(timer);
      await close();
    };
    return fake;
  }

  get wsUrl(): string {
    return this.server.wsUrl;
  }

  /** Clients subscribed to liq:global now. */
  get subscribedClients(): number {
    return this.server.match((client) => this.channels.has(client.id)).length;
  }

  /** Push one liquidation row, `[CHAN_ID, [[row]]]`, to every subscribed client; returns how many got it. */
  liquidation(liquidation: FakeBitfinexLiquidation = {}): number {
    const row = this.row(liquidation);
    let count = 0;
    for (const client of this.server.match()) {
      const chanId = this.channels.get(client.id);
      if (chanId === undefined) continue;
      client.send(JSON.stringify([chanId, [row]]));
      count += 1;
    }
    return count;
  }

  dropAll(): void {
    this.server.dropAll();
  }

  close(): Promise<void> {
    return this.server.close();
  }

  private row(liquidation: FakeBitfinexLiquidation): unknown[] {
    const price = liquidation.price ?? 60_000;
    const isMatch = liquidation.isMatch ?? 1;
    return [
      'pos',
      liquidation.posId ?? ++this.posId,
      liquidation.time ?? Date.now(),
      null,
      liquidation.symbol ?? 'tBTCF0:USTF0',
      liquidation.amount ?? 0.5,
      liquidation.basePrice ?? price * 1.01,
      null,
      isMatch,
      isMatch,
      null,
      isMatch === 1 ? price : null,
    ];
  }

  private onMessage(client: FakeClient, data: string): void {
    let message: { event?: unknown; channel?: unknown; key?: unknown; cid?: unknown };
    try {
      message = JSON.parse(data) as typeof message;
    } catch {
      return;
    }
    if (message.event === 'ping') {
      this.pings += 1;
      client.send({ event: 'pong', ts: Date.now(), cid: message.cid });
      return;
    }
    if (message.event !== 'subscribe') return;
    this.subscribes.push({ client: client.id, channel: message.channel, key: message.key });
    if (message.channel !== 'status' || message.key !== 'liq:global') {
      client.send({ event: 'error', msg: 'subscribe: invalid', code: 10300, channel: message.channel, key: message.key });
      return;
    }
    if (this.channels.has(client.id)) {
      client.send({ event: 'error', msg: 'subscribe: dup', code: 10301, channel: 'status', key: 'liq:global' });
      return;
    }
    const chanId = this.nextChannel++;
    this.channels.set(client.id, chanId);
    client.send({ event: 'subscribed', channel: 'status', chanId, key: 'liq:global' });
    // The snapshot: a liquidation from an hour ago, which must never alert.
    client.send(JSON.stringify([chanId, [this.row({ time: Date.now() - 3_600_000, amount: 2 })]]));
  }
}
