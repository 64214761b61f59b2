/**
 * A fake Deribit for tests, on core's {@link FakeExchangeServer}: the JSON-RPC WebSocket at
 * `/ws/api/v2` and `GET /api/v2/public/get_instruments`, behaving like Deribit where a source can get
 * it wrong (https://docs.deribit.com):
 * - `public/subscribe` answers `result` with the channels subscribed; unknown channels are left out,
 *   and a `.raw` channel fails the whole request with error 13778, as for any unauthenticated client;
 * - trades reach only the clients subscribed to a channel that covers them (`trades.future.any.*`,
 *   `trades.future.<currency>.*` or `trades.<instrument>.*`), in the channel's own name;
 * - `public/set_heartbeat` (interval >= 10, else an "Invalid params" error) starts a `test_request`
 *   every interval; a client that has not answered the previous one with `public/test` is disconnected;
 * - `idleTimeout` cuts clients that send nothing, as the generic fake does.
 */
import { FakeExchangeServer, type FakeClient } from '@liqmon/core/testing';

/** One instrument of the fake's list, in the fields of get_instruments that matter. */
export interface FakeDeribitInstrument {
  instrument_name: string;
  /** `reversed` (inverse, amount in USD) or `linear` (amount in the base coin). */
  instrument_type: 'reversed' | 'linear';
  base_currency: string;
  quote_currency: string;
  settlement_currency: string;
  contract_size: number;
}

/** Options of {@link FakeDeribit.start}. */
export interface FakeDeribitOptions {
  /** The instrument list. @default {@link DEFAULT_INSTRUMENTS} */
  instruments?: readonly FakeDeribitInstrument[];
  /**
   * Length of one heartbeat "second", in ms: tests make Deribit's minimum interval of 10 s pass in
   * 10 x this. @default 1000
   */
  heartbeatUnitMs?: number;
  /** Close a client that sent nothing for this long, ms. @default off */
  idleTimeout?: number;
}

/** One liquidation trade to push. */
export interface FakeDeribitLiquidation {
  /** Who was liquidated: T the taker, M the maker, MT both. @default 'T' */
  liquidation?: 'T' | 'M' | 'MT';
  /** The taker's side. @default 'sell' */
  direction?: 'buy' | 'sell';
  /** USD for inverse instruments, coins for linear ones. @default 1000 */
  amount?: number;
  /** @default 50000 */
  price?: number;
  /** ms since epoch. @default Date.now() */
  timestamp?: number;
  /** @default a counter */
  tradeId?: string;
}

/** A small list in Deribit's shapes: two inverse perpetuals, an inverse future and two linear perpetuals. */
export const DEFAULT_INSTRUMENTS: readonly FakeDeribitInstrument[] = [
  { instrument_name: 'BTC-PERPETUAL', instrument_type: 'reversed', base_currency: 'BTC', quote_currency: 'USD', settlement_currency: 'BTC', contract_size: 10 },
  { instrument_name: 'ETH-PERPETUAL', instrument_type: 'reversed', base_currency: 'ETH', quote_currency: 'USD', settlement_currency: 'ETH', contract_size: 1 },
  { instrument_name: 'BTC-27MAR26', instrument_type: 'reversed', base_currency: 'BTC', quote_currency: 'USD', settlement_currency: 'BTC', contract_size: 10 },
  { instrument_name: 'BTC_USDC-PERPETUAL', instrument_type: 'linear', base_currency: 'BTC', quote_currency: 'USDC', settlement_currency: 'USDC', contract_size: 0.001 },
  { instrument_name: 'SOL_USDC-PERPETUAL', instrument_type: 'linear', base_currency: 'SOL', quote_currency: 'USDC', settlement_currency: 'USDC', contract_size: 0.1 },
];

const WS_PATH = '/ws/api/v2';
const INTERVALS = new Set(['100ms', 'agg2', 'raw']);

interface ClientState {
  channels: Set<string>;
  heartbeat: NodeJS.Timeout | undefined;
  /** A test_request is waiting for its public/test. */
  awaitingTest: boolean;
}

/** The fake Deribit. Create with {@link FakeDeribit.start}; always `close()` it. */
export class FakeDeribit {
  /** Every JSON-RPC request received, in order. */
  readonly requests: { client: number; method: string; params: Record<string, unknown> }[] = [];
  /** test_requests sent, and clients disconnected for leaving one unanswered. */
  testRequests = 0;
  readonly heartbeatCuts: number[] = [];
  private instruments: FakeDeribitInstrument[];
  private readonly states = new Map<number, ClientState>();
  private nextTrade = 1;

  private constructor(
    readonly server: FakeExchangeServer,
    private readonly options: FakeDeribitOptions,
  ) {
    this.instruments = [...(options.instruments ?? DEFAULT_INSTRUMENTS)];
  }

  /** Start on 127.0.0.1 with a free port. */
  static async start(options: FakeDeribitOptions = {}): Promise<FakeDeribit> {
    const holder: { fake?: FakeDeribit } = {};
    const server = await FakeExchangeServer.start({
      ...(options.idleTimeout === undefined ? {} : { idleTimeout: options.idleTimeout }),
      acceptPath: (path) => path === WS_PATH || path.startsWith(`${WS_PATH}?`),
      onClientMessage: (client, data) => holder.fake?.onMessage(client, data),
      rest: { '/api/v2/public/get_instruments': (url: URL) => holder.fake?.instrumentsReply(url) },
    });
    holder.fake = new FakeDeribit(server, options);
    return holder.fake;
  }

  /** WebSocket base URL to give the source as `wsUrl`. */
  get wsUrl(): string {
    return this.server.wsUrl;
  }

  /** REST base URL to give the source as `restUrl`. */
  get restUrl(): string {
    return this.server.httpUrl;
  }

  /** Replace the instrument list (a listing at the next refresh). */
  setInstruments(instruments: readonly FakeDeribitInstrument[]): void {
    this.instruments = [...instruments];
  }

  /** Channels subscribed now by connected clients (duplicates across clients kept). */
  subscribedChannels(): string[] {
    return this.server.clients.size === 0 ? [] : [...this.server.clients].flatMap((client) => [...(this.states.get(client.id)?.channels ?? [])]);
  }

  /** Push one liquidation trade to every client subscribed to a channel covering it; returns how many got it. */
  liquidation(instrument: string, trade: FakeDeribitLiquidation = {}): number {
    const data = {
      trade_seq: this.nextTrade,
      trade_id: trade.tradeId ?? String(100_000_000 + this.nextTrade++),
      timestamp: trade.timestamp ?? Date.now(),
      tick_direction: 0,
      price: trade.price ?? 50_000,
      mark_price: trade.price ?? 50_000,
      liquidation: trade.liquidation ?? 'T',
      instrument_name: instrument,
      index_price: trade.price ?? 50_000,
      direction: trade.direction ?? 'sell',
      amount: trade.amount ?? 1000,
    };
    return this.pushTrades(instrument, [data]);
  }

  /** Push trades of one instrument (in Deribit's trade shape) to the clients whose channels cover it. */
  pushTrades(instrument: string, trades: readonly object[]): number {
    let count = 0;
    for (const client of this.server.clients) {
      const channel = this.covering(client.id, instrument);
      if (!channel) continue;
      client.send({ jsonrpc: '2.0', method: 'subscription', params: { channel, data: trades } });
      count += 1;
    }
    return count;
  }

  /** Cut every connection. */
  dropAll(): void {
    this.server.dropAll();
  }

  /** Close the server. */
  async close(): Promise<void> {
    for (const state of this.states.values()) clearInterval(state.heartbeat);
    await this.server.close();
  }

  /** The subscribed channel of a client that carries trades of `instrument`, if any. */
  private covering(clientId: number, instrument: string): string | undefined {
    const channels = this.states.get(clientId)?.channels;
    if (!channels) return undefined;
    const listed = this.instruments.find((entry) => entry.instrument_name === instrument);
    const currency = listed ? (listed.instrument_type === 'reversed' ? listed.base_currency : listed.settlement_currency) : undefined;
    for (const channel of channels) {
      const parts = channel.split('.');
      if (parts.length === 3 && parts[1] === instrument) return channel;
      if (parts.length === 4 && parts[1] === 'future' && (parts[2] === 'any' || parts[2] === currency)) return channel;
    }
    return undefined;
  }

  private state(client: FakeClient): ClientState {
    let state = this.states.get(client.id);
    if (!state) {
      state = { channels: new Set(), heartbeat: undefined, awaitingTest: false };
      this.states.set(client.id, state);
    }
    return state;
  }

  private onMessage(client: FakeClient, data: string): void {
    let message: { id?: unknown; method?: unknown; params?: unknown };
    try {
      message = JSON.parse(data) as typeof message;
    } catch {
      return;
    }
    const id = message.id;
    const params = typeof message.params === 'object' && message.params !== null ? (message.params as Record<string, unknown>) : {};
    const method = typeof message.method === 'string' ? message.method : '';
    this.requests.push({ client: client.id, method, params });
    const envelope = { jsonrpc: '2.0', ...(id === undefined ? {} : { id }), usIn: Date.now() * 1000, usOut: Date.now() * 1000, usDiff: 10, testnet: false };
    const reply = (result: unknown): void => client.send({ ...envelope, result });
    const fail = (code: number, text: string, extra: object = {}): void => client.send({ ...envelope, error: { message: text, code, ...extra } });
    const state = this.state(client);
    switch (method) {
      case 'public/subscribe':
      case 'public/unsubscribe': {
        const channels = Array.isArray(params.channels) ? params.channels.filter((c): c is string => typeof c === 'string') : undefined;
        if (!channels) return fail(-32602, 'Invalid params', { data: { reason: 'value must be a list', param: 'channels' } });
        if (method === 'public/subscribe' && channels.some((channel) => channel.endsWith('.raw'))) {
          return fail(13778, 'raw_subscriptions_not_available_for_unauthorized');
        }
        const valid = channels.filter((channel) => this.isChannel(channel));
        for (const channel of valid) {
          if (method === 'public/subscribe') state.channels.add(channel);
          else state.channels.delete(channel);
        }
        return reply(valid);
      }
      case 'public/set_heartbeat': {
        const interval = params.interval;
        if (typeof interval !== 'number' || interval < 10) return fail(-32602, 'Invalid params', { data: { reason: 'must be at least 10', param: 'interval' } });
        clearInterval(state.heartbeat);
        state.awaitingTest = false;
        state.heartbeat = setInterval(() => this.heartbeat(client, state), interval * (this.options.heartbeatUnitMs ?? 1000));
        state.heartbeat.unref();
        return reply('ok');
      }
      case 'public/test':
        state.awaitingTest = false;
        return reply({ version: '1.2.26' });
      default:
        return fail(-32601, 'Method not found');
    }
  }

  /** One heartbeat period of a client: cut it if the last test_request is unanswered, else send another. */
  private heartbeat(client: FakeClient, state: ClientState): void {
    if (!this.server.clients.has(client)) {
      clearInterval(state.heartbeat);
      return;
    }
    if (state.awaitingTest) {
      clearInterval(state.heartbeat);
      this.heartbeatCuts.push(client.id);
      client.close(1000, 'test_request not answered');
      return;
    }
    state.awaitingTest = true;
    this.testRequests += 1;
    client.send({ jsonrpc: '2.0', method: 'heartbeat', params: { type: 'test_request' } });
  }

  /** `trades.<kind>.<currency>.<interval>` or `trades.<instrument>.<interval>` of a listed instrument. */
  private isChannel(channel: string): boolean {
    const parts = channel.split('.');
    if (parts[0] !== 'trades' || !INTERVALS.has(parts.at(-1) ?? '')) return false;
    if (parts.length === 4) return ['future', 'option', 'spot', 'future_combo', 'option_combo', 'any'].includes(parts[1] ?? '');
    return parts.length === 3 && this.instruments.some((entry) => entry.instrument_name === parts[1]);
  }

  private instrumentsReply(url: URL): unknown {
    const currency = url.searchParams.get('currency') ?? 'any';
    const kind = url.searchParams.get('kind');
    const list = kind !== null && kind !== 'future' ? [] : this.instruments.filter((entry) => currency === 'any' || entry.settlement_currency === currency || entry.base_currency === currency);
    const result = list.map((entry) => ({
      ...entry,
      kind: 'future',
      future_type: entry.instrument_type,
      counter_currency: entry.quote_currency,
      settlement_period: entry.instrument_name.endsWith('PERPETUAL') ? 'perpetual' : 'month',
      is_active: true,
      tick_size: 0.5,
      min_trade_amount: entry.instrument_type === 'reversed' ? entry.contract_size : 0.001,
    }));
    return { jsonrpc: '2.0', result, usIn: Date.now() * 1000, usOut: Date.now() * 1000, usDiff: 50, testnet: false };
  }
}
