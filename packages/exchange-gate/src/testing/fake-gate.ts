/**
 * A fake Gate futures venue for tests, on core's `FakeExchangeServer`: the v4 WebSocket streams
 * `/v4/ws/usdt` and `/v4/ws/btc` (subscribe acks and refusals, `futures.ping` -> `futures.pong`, the
 * idle cut) and `GET /api/v4/futures/<settle>/contracts` with `limit`/`offset` paging. Like Gate, it
 * delivers a liquidation only to clients subscribed to its contract (or to `!all`) on its settle's
 * stream, and sends sizes as decimal strings only to clients that asked with `X-Gate-Size-Decimal: 1`
 * (integers rounded toward zero otherwise). Shapes follow https://www.gate.com/docs/developers/futures/ws/en.
 */
import { FakeExchangeServer, type FakeClient } from '@liqmon/core/testing';

/** A settle currency the fake serves. */
export type FakeGateSettle = 'usdt' | 'btc';

/** One contract of the fake's list, in Gate's REST field names. */
export interface FakeGateContract {
  name: string;
  /** `direct` (linear) or `inverse`. */
  type: 'direct' | 'inverse';
  /** Base units per contract (Gate sends "0" for inverse contracts' field here too, as text). */
  quanto_multiplier: string;
}

/** The contracts every fake lists unless told otherwise (the golden files' reference lists the same). */
export const FAKE_GATE_CONTRACTS: Readonly<Record<FakeGateSettle, readonly FakeGateContract[]>> = {
  usdt: [
    { name: 'BTC_USDT', type: 'direct', quanto_multiplier: '0.0001' },
    { name: 'ETH_USDT', type: 'direct', quanto_multiplier: '0.01' },
    { name: 'HEI_USDT', type: 'direct', quanto_multiplier: '10' },
    { name: 'DOGE_USDT', type: 'direct', quanto_multiplier: '10' },
  ],
  btc: [{ name: 'BTC_USD', type: 'inverse', quanto_multiplier: '0' }],
};

/** Options of {@link FakeGate.start}. */
export interface FakeGateOptions {
  /** Contracts per settle. @default {@link FAKE_GATE_CONTRACTS} */
  contracts?: Partial<Record<FakeGateSettle, readonly FakeGateContract[]>>;
  /** Most contracts per REST page, whatever `limit` asks. @default 100 */
  pageSize?: number;
  /** Subscribe requests naming one of these (or `!all` when listed) are refused. */
  rejectPayloads?: Iterable<string>;
  /** Close a client that sent nothing (no message, no ping, no pong) for this long, ms. @default off */
  idleTimeout?: number;
}

/** One liquidation to push. */
export interface FakeGateLiquidation {
  /** Signed contracts as Gate's WebSocket sends them: negative = a sell order = a long liquidated. @default '-1' */
  size?: string;
  /** @default '100' */
  price?: string;
  /** ms since epoch. @default Date.now() */
  time?: number;
  /**
   * `array` (since the 2026-08-20 batching change: `result` is a list, time in `time`) or `object`
   * (live frames before it: `result` is one object). @default 'array'
   */
  shape?: 'array' | 'object';
}

/** A request a client sent. */
export interface FakeGateRequest {
  client: number;
  settle: FakeGateSettle;
  channel: string;
  event: string;
  payload: string[];
}

const settleOf = (path: string): FakeGateSettle | undefined =>
  path.startsWith('/v4/ws/usdt') ? 'usdt' : path.startsWith('/v4/ws/btc') ? 'btc' : undefined;

/** The fake Gate. Create with {@link FakeGate.start}; always `close()` it. */
export class FakeGate {
  /** Every subscribe/unsubscribe request received, in order. */
  readonly requests: FakeGateRequest[] = [];
  /** `futures.ping` messages received per client id. */
  readonly pings = new Map<number, number>();
  private readonly contracts: Record<FakeGateSettle, FakeGateContract[]>;
  private readonly rejected: Set<string>;
  private readonly subscribed = new Map<number, Set<string>>();
  private answerPings = true;

  private constructor(
    readonly server: FakeExchangeServer,
    options: FakeGateOptions,
  ) {
    this.contracts = { usdt: [...(options.contracts?.usdt ?? FAKE_GATE_CONTRACTS.usdt)], btc: [...(options.contracts?.btc ?? FAKE_GATE_CONTRACTS.btc)] };
    this.rejected = new Set(options.rejectPayloads);
  }

  /** Start on 127.0.0.1 with a free port. */
  static async start(options: FakeGateOptions = {}): Promise<FakeGate> {
    const pageSize = options.pageSize ?? 100;
    const holder: { fake?: FakeGate } = {};
    const server = await FakeExchangeServer.start({
      ...(options.idleTimeout === undefined ? {} : { idleTimeout: options.idleTimeout }),
      acceptPath: (path) => settleOf(path) !== undefined,
      onClientMessage: (client, data) => holder.fake?.onMessage(client, data),
      rest: {
        '/api/v4/futures/usdt/contracts': (url: URL) => holder.fake?.contractsPage('usdt', url, pageSize),
        '/api/v4/futures/btc/contracts': (url: URL) => holder.fake?.contractsPage('btc', url, pageSize),
      },
    });
    holder.fake = new FakeGate(server, options);
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

  /** Replace the contracts of a settle (a listing or delisting at the next refresh). */
  setContracts(settle: FakeGateSettle, contracts: readonly FakeGateContract[]): void {
    this.contracts[settle] = [...contracts];
  }

  /** What connected clients of a settle (or all) subscribed now: contract names or `!all`. */
  subscriptions(settle?: FakeGateSettle): string[] {
    return this.server
      .match((client) => settle === undefined || settleOf(client.path) === settle)
      .flatMap((client) => [...(this.subscribed.get(client.id) ?? [])]);
  }

  /** Stop (or resume) answering `futures.ping`. */
  setAnswerPings(answer: boolean): void {
    this.answerPings = answer;
  }

  /** Push one liquidation of `contract` to the clients subscribed to it; returns how many got it. */
  liquidation(contract: string, liquidation: FakeGateLiquidation = {}): number {
    const settle = (['usdt', 'btc'] as const).find((s) => this.contracts[s].some((c) => c.name === contract)) ?? (contract.endsWith('_USD') ? 'btc' : 'usdt');
    const time = liquidation.time ?? Date.now();
    const sizeText = liquidation.size ?? '-1';
    const price = liquidation.price ?? '100';
    let count = 0;
    for (const client of this.server.match((c) => settleOf(c.path) === settle)) {
      const topics = this.subscribed.get(client.id);
      if (!topics || !(topics.has('!all') || topics.has(contract))) continue;
      // Without the decimal header Gate sends integers, decimal sizes rounded down.
      const size = client.headers['x-gate-size-decimal'] === '1' ? sizeText : Math.trunc(Number(sizeText));
      const item = { contract, price, time, size };
      const result = liquidation.shape === 'object' ? item : [item];
      client.send({ time: Math.floor(time / 1000), time_ms: time, channel: 'futures.public_liquidates', event: 'update', result });
      count += 1;
    }
    return count;
  }

  /** Cut every connection. */
  dropAll(): void {
    this.server.dropAll();
  }

  /** Close the server. */
  close(): Promise<void> {
    return this.server.close();
  }

  private onMessage(client: FakeClient, data: string): void {
    const settle = settleOf(client.path);
    let message: { channel?: unknown; event?: unknown; payload?: unknown };
    try {
      message = JSON.parse(data) as typeof message;
    } catch {
      return;
    }
    const now = Date.now();
    const envelope = { time: Math.floor(now / 1000), time_ms: now, conn_id: `fake-${client.id}` };
    if (message.channel === 'futures.ping') {
      this.pings.set(client.id, (this.pings.get(client.id) ?? 0) + 1);
      if (this.answerPings) client.send({ ...envelope, channel: 'futures.pong', event: '', result: null });
      return;
    }
    if (typeof message.channel !== 'string' || (message.event !== 'subscribe' && message.event !== 'unsubscribe') || !settle) return;
    const payload = Array.isArray(message.payload) ? message.payload.filter((item): item is string => typeof item === 'string') : [];
    this.requests.push({ client: client.id, settle, channel: message.channel, event: message.event, payload });
    const reply = (error: { code: number; message: string } | null): void =>
      client.send({ ...envelope, channel: message.channel, event: message.event, payload, error, result: { status: error ? 'fail' : 'success' } });
    if (message.channel !== 'futures.public_liquidates') return reply({ code: 1, message: `unknown channel ${message.channel}` });
    const refused = payload.find((item) => this.rejected.has(item) || (item !== '!all' && !this.contracts[settle].some((c) => c.name === item)));
    if (refused) return reply({ code: 2, message: `invalid contract ${refused}` });
    const topics = this.subscribed.get(client.id) ?? new Set<string>();
    this.subscribed.set(client.id, topics);
    for (const item of payload) {
      if (message.event === 'subscribe') topics.add(item);
      else topics.delete(item);
    }
    reply(null);
  }

  private contractsPage(settle: FakeGateSettle, url: URL, pageSize: number): unknown {
    const limit = Math.min(Number(url.searchParams.get('limit') ?? pageSize) || pageSize, pageSize);
    const offset = Number(url.searchParams.get('offset') ?? 0) || 0;
    return this.contracts[settle].slice(offset, offset + limit).map((contract) => ({ ...contract, status: 'trading', in_delisting: false }));
  }
}
