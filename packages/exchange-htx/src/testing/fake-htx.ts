/**
 * A fake HTX for tests, on core's {@link FakeExchangeServer}: the USDT-margined notification WebSocket
 * `/linear-swap-notification` with every frame gzip-compressed (as HTX sends them), HTX's own heartbeat
 * (a `{"op":"ping","ts":"…"}` every few seconds; a client that leaves too many unanswered, or answers
 * with a `ts` that is not the one sent, is closed), `sub` answers with `err-code` (and refusals), topic
 * gating (a push reaches only clients subscribed to its topic or to the wildcard), and
 * `GET /linear-swap-api/v1/swap_contract_info` (one answer, filtered by `business_type`, as HTX).
 */
import { gzipSync } from 'node:zlib';
import { FakeExchangeServer, type FakeClient } from '@liqmon/core/testing';

/** A contract the fake lists; the rest of its fields follow from `code`. */
export interface FakeHtxContract {
  /** `BTC-USDT` (swap), `BTC-USDT-251226` (future). */
  code: string;
  /** Base units per contract. @default 0.001 for BTC, 0.01 otherwise */
  size?: number;
}

/** Options of {@link FakeHtx.start}. */
export interface FakeHtxOptions {
  /** Listed contracts (codes alone take the defaults). @default BTC-USDT, ETH-USDT */
  contracts?: readonly (string | FakeHtxContract)[];
  /** Topics whose `sub` is refused (err-code 2011). */
  rejectTopics?: Iterable<string>;
  /** Time between two server pings, ms. HTX: 5 s. @default 5000 */
  pingInterval?: number;
  /** Close a client once this many pings in a row are unanswered. @default 5 */
  maxMissedPings?: number;
  /** Close a client that sent nothing for this long, ms (core's generic idle cut). @default off */
  idleTimeout?: number;
}

/** One liquidation to push, in HTX's `data` terms. */
export interface FakeHtxLiquidation {
  /** Liquidation order side: `sell` closes a long. @default 'sell' */
  direction?: 'buy' | 'sell';
  /** Contracts. @default 1 */
  volume?: number;
  /** @default 100 */
  price?: number;
  /** ms since epoch. @default Date.now() */
  created_at?: number;
  /** Base units; `null` leaves it out. @default volume x contract size */
  amount?: number | null;
  /** Quote value; `null` leaves it out. @default amount x price */
  trade_turnover?: number | null;
}

/** A `sub`/`unsub` a client sent. */
export interface FakeHtxRequest {
  client: number;
  op: string;
  topic: string;
  cid: string;
}

const WILDCARD = 'public.*.liquidation_orders';
const topicOf = (code: string): string => `public.${code}.liquidation_orders`;

/** The REST entry of a contract, as HTX lists it. */
function restEntry(entry: string | FakeHtxContract): Record<string, unknown> {
  const spec = typeof entry === 'string' ? { code: entry } : entry;
  const [base = '', quote = '', expiry] = spec.code.split('-');
  return {
    symbol: base,
    contract_code: spec.code,
    contract_size: spec.size ?? (base === 'BTC' ? 0.001 : 0.01),
    price_tick: 0.1,
    delivery_date: expiry ?? '',
    create_date: '20201021',
    contract_status: 1,
    settlement_date: '1789689600000',
    support_margin_mode: 'all',
    business_type: expiry ? 'futures' : 'swap',
    pair: `${base}-${quote}`,
    contract_type: expiry ? 'quarter' : 'swap',
    trade_partition: quote,
  };
}

/** Per-client heartbeat state: the `ts` texts sent and not answered yet. */
interface PingState {
  outstanding: string[];
}

/** The fake HTX. Create with {@link FakeHtx.start}; always `close()` it. */
export class FakeHtx {
  /** Every `sub`/`unsub` request, in order. */
  readonly requests: FakeHtxRequest[] = [];
  /** Pongs with the right `ts`, per client id. */
  readonly pongs = new Map<number, number>();
  /** Clients closed for leaving pings unanswered, by id. */
  readonly pingCuts: number[] = [];
  private contracts: Record<string, unknown>[];
  private readonly rejectTopics: Set<string>;
  private readonly topics = new Map<number, Set<string>>();
  private readonly pingStates = new Map<number, PingState>();
  private readonly timer: NodeJS.Timeout;
  private pingSeq = 0;

  private constructor(
    readonly server: FakeExchangeServer,
    private readonly options: FakeHtxOptions,
  ) {
    this.contracts = (options.contracts ?? ['BTC-USDT', 'ETH-USDT']).map(restEntry);
    this.rejectTopics = new Set(options.rejectTopics);
    this.timer = setInterval(() => this.pingAll(), options.pingInterval ?? 5_000);
    this.timer.unref();
  }

  /** Start on 127.0.0.1 with a free port. */
  static async start(options: FakeHtxOptions = {}): Promise<FakeHtx> {
    const holder: { fake?: FakeHtx } = {};
    const server = await FakeExchangeServer.start({
      ...(options.idleTimeout === undefined ? {} : { idleTimeout: options.idleTimeout }),
      acceptPath: (path) => path === '/linear-swap-notification',
      encodeFrame: (text) => gzipSync(text),
      onClientMessage: (client, data) => holder.fake?.onMessage(client, data),
      rest: { '/linear-swap-api/v1/swap_contract_info': (url: URL) => holder.fake?.contractList(url) },
    });
    holder.fake = new FakeHtx(server, options);
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

  /** Replace the listed contracts (a listing or a delisting, seen at the next refresh). */
  setContracts(contracts: readonly (string | FakeHtxContract)[]): void {
    this.contracts = contracts.map(restEntry);
  }

  /** Topics subscribed now, per connected client, in order of connection. */
  subscribedTopics(): string[][] {
    return this.server.match().map((client) => [...(this.topics.get(client.id) ?? [])]);
  }

  /** Send a ping to every client now, with `ts` as a string (as captured live) or a number. */
  ping(ts: string | number = String(Date.now() + this.pingSeq++)): void {
    const raw = JSON.stringify(ts);
    for (const client of this.server.match()) {
      const state = this.pingStates.get(client.id) ?? { outstanding: [] };
      this.pingStates.set(client.id, state);
      state.outstanding.push(raw);
      if (state.outstanding.length > (this.options.maxMissedPings ?? 5)) {
        this.pingCuts.push(client.id);
        client.close(1000, 'heartbeat timeout');
        continue;
      }
      client.send(`{"op":"ping","ts":${raw}}`);
    }
  }

  /** Push one liquidation of `code` to the clients subscribed to it; returns how many got it. */
  liquidation(code: string, liquidation: FakeHtxLiquidation = {}): number {
    const contract = this.contracts.find((entry) => entry.contract_code === code);
    const volume = liquidation.volume ?? 1;
    const price = liquidation.price ?? 100;
    const size = typeof contract?.contract_size === 'number' ? contract.contract_size : 0.01;
    const amount = liquidation.amount === undefined ? Number((volume * size).toPrecision(12)) : liquidation.amount;
    const turnover = liquidation.trade_turnover === undefined ? (amount === null ? null : Number((amount * price).toPrecision(12))) : liquidation.trade_turnover;
    const [base = '', quote = ''] = code.split('-');
    const order: Record<string, unknown> = {
      symbol: base,
      contract_code: code,
      direction: liquidation.direction ?? 'sell',
      offset: 'close',
      volume,
      price,
      created_at: liquidation.created_at ?? Date.now(),
      ...(amount === null ? {} : { amount }),
      ...(turnover === null ? {} : { trade_turnover: turnover }),
      contract_type: 'swap',
      pair: `${base}-${quote}`,
      business_type: 'swap',
      trade_partition: quote,
    };
    return this.pushRaw(code, [order]);
  }

  /** Push a liquidation_orders frame of `code` with these `data` entries (any shape) to subscribed clients. */
  pushRaw(code: string, data: unknown[]): number {
    const topic = topicOf(code);
    const frame = JSON.stringify({ op: 'notify', topic, ts: Date.now(), data });
    return this.server.push(frame, (client) => {
      const topics = this.topics.get(client.id);
      return topics !== undefined && (topics.has(WILDCARD) || topics.has(topic));
    });
  }

  /** Cut every connection. */
  dropAll(): void {
    this.server.dropAll();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.server.close();
  }

  private pingAll(): void {
    this.ping();
  }

  private onMessage(client: FakeClient, data: string): void {
    let message: { op?: unknown; topic?: unknown; cid?: unknown; ts?: unknown };
    try {
      message = JSON.parse(data) as typeof message;
    } catch {
      client.send({ op: 'error', ts: Date.now(), 'err-code': 2030, 'err-msg': 'Invalid request' });
      return;
    }
    if (message.op === 'pong') {
      // HTX matches the echo against what it sent: a `ts` of another type or value answers nothing.
      const state = this.pingStates.get(client.id);
      const index = state?.outstanding.indexOf(JSON.stringify(message.ts)) ?? -1;
      if (state && index >= 0) {
        state.outstanding.splice(0, index + 1);
        this.pongs.set(client.id, (this.pongs.get(client.id) ?? 0) + 1);
      }
      return;
    }
    const cid = typeof message.cid === 'string' ? message.cid : '';
    const topic = typeof message.topic === 'string' ? message.topic : '';
    const op = message.op;
    if (op !== 'sub' && op !== 'unsub') {
      client.send({ op: 'error', ts: Date.now(), 'err-code': 2030, 'err-msg': `Invalid op: ${String(op)}` });
      return;
    }
    this.requests.push({ client: client.id, op, topic, cid });
    const topics = this.topics.get(client.id) ?? new Set<string>();
    this.topics.set(client.id, topics);
    const answer = { op, type: 'liquidation_orders', cid, topic, ts: Date.now() };
    const valid = /^public\.[^.]+\.liquidation_orders$/.test(topic);
    if (!valid || this.rejectTopics.has(topic)) {
      client.send({ ...answer, 'err-code': 2011, 'err-msg': `Invalid topic: ${topic}` });
      return;
    }
    // A contract already covered by the wildcard (or a topic sent twice) is refused as a repeat.
    if (op === 'sub' && (topics.has(topic) || topics.has(WILDCARD))) {
      client.send({ ...answer, 'err-code': 2014, 'err-msg': 'Repeated subscription' });
      return;
    }
    if (op === 'sub') topics.add(topic);
    else topics.delete(topic);
    client.send({ ...answer, 'err-code': 0 });
  }

  private contractList(url: URL): unknown {
    const businessType = url.searchParams.get('business_type') ?? 'swap';
    if (!['swap', 'futures', 'all'].includes(businessType)) {
      return { status: 'error', err_code: 1014, err_msg: 'Invalid business_type', ts: Date.now() };
    }
    const data = businessType === 'all' ? this.contracts : this.contracts.filter((entry) => entry.business_type === businessType);
    return { status: 'ok', data, ts: Date.now() };
  }
}
