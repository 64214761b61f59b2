/**
 * A fake OKX for tests, on core's {@link FakeExchangeServer}: the public WebSocket `/ws/v5/public`
 * with OKX's subscribe acks and refusals, the text `ping`/`pong` heartbeat and channel gating (a push
 * reaches only clients subscribed to its instrument type), and `GET /api/v5/public/instruments`
 * (one answer per `instType`, no paging, as OKX). Shapes follow https://www.okx.com/docs-v5/en/.
 */
import { FakeExchangeServer, type FakeClient } from '@liqmon/core/testing';

/** An instrument the fake lists; the rest of its fields follow from `instId`. */
export interface FakeOkxInstrument {
  /** `BTC-USDT-SWAP` (linear swap), `BTC-USD-SWAP` (inverse), `BTC-USD-250627` (inverse future). */
  instId: string;
  /** Contract value. @default '0.01' for linear, '100' for inverse */
  ctVal?: string;
  /** Contract multiplier. @default '1' */
  ctMult?: string;
}

/** Options of {@link FakeOkx.start}. */
export interface FakeOkxOptions {
  /** Listed instruments (ids alone take the defaults). @default BTC-USDT-SWAP, BTC-USD-SWAP */
  instruments?: readonly (string | FakeOkxInstrument)[];
  /** Instrument types whose subscribe is refused with code 60018. */
  rejectTypes?: Iterable<string>;
  /** Close a client that sent nothing (no message, no ping) for this long, ms, as OKX does after 30 s. @default off */
  idleTimeout?: number;
}

/** One liquidation to push, in OKX's `details` terms. */
export interface FakeOkxLiquidation {
  /** `long`, `short` (hedge mode) or `net`. @default 'long' */
  posSide?: 'long' | 'short' | 'net';
  /** Order side. @default the opposite of posSide; 'sell' for net */
  side?: 'buy' | 'sell';
  /** Contracts, a decimal string. @default '1' */
  sz?: string;
  /** Bankruptcy price, a decimal string. @default '100' */
  bkPx?: string;
  /** ms since epoch. @default Date.now() */
  ts?: number;
}

/** A subscribe or unsubscribe a client sent. */
export interface FakeOkxRequest {
  client: number;
  op: string;
  id: string;
  args: unknown[];
}

const instTypeOf = (instId: string): 'SWAP' | 'FUTURES' => (instId.endsWith('-SWAP') ? 'SWAP' : 'FUTURES');

/** The REST entry of an instrument, as OKX lists it. */
function restEntry(entry: string | FakeOkxInstrument): Record<string, string> {
  const spec = typeof entry === 'string' ? { instId: entry } : entry;
  const [base = '', quote = ''] = spec.instId.split('-');
  const inverse = quote === 'USD';
  return {
    instType: instTypeOf(spec.instId),
    instId: spec.instId,
    uly: `${base}-${quote}`,
    instFamily: `${base}-${quote}`,
    ctType: inverse ? 'inverse' : 'linear',
    ctVal: spec.ctVal ?? (inverse ? '100' : '0.01'),
    ctMult: spec.ctMult ?? '1',
    ctValCcy: inverse ? 'USD' : base,
    settleCcy: inverse ? base : quote,
    state: 'live',
  };
}

/** The fake OKX. Create with {@link FakeOkx.start}; always `close()` it. */
export class FakeOkx {
  /** Every subscribe/unsubscribe request, in order. */
  readonly requests: FakeOkxRequest[] = [];
  /** Text `ping`s received per client id. */
  readonly pings = new Map<number, number>();
  private instruments: Record<string, string>[];
  private readonly rejectTypes: Set<string>;
  private readonly subscribed = new Map<number, Set<string>>();
  private answerPings = true;

  private constructor(
    readonly server: FakeExchangeServer,
    options: FakeOkxOptions,
  ) {
    this.instruments = (options.instruments ?? ['BTC-USDT-SWAP', 'BTC-USD-SWAP']).map(restEntry);
    this.rejectTypes = new Set(options.rejectTypes);
  }

  /** Start on 127.0.0.1 with a free port. */
  static async start(options: FakeOkxOptions = {}): Promise<FakeOkx> {
    const holder: { fake?: FakeOkx } = {};
    const server = await FakeExchangeServer.start({
      ...(options.idleTimeout === undefined ? {} : { idleTimeout: options.idleTimeout }),
      acceptPath: (path) => path === '/ws/v5/public',
      onClientMessage: (client, data) => holder.fake?.onMessage(client, data),
      rest: { '/api/v5/public/instruments': (url: URL) => holder.fake?.instrumentList(url) },
    });
    holder.fake = new FakeOkx(server, options);
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

  /** Replace the listed instruments (a listing or a delisting, seen at the next refresh). */
  setInstruments(instruments: readonly (string | FakeOkxInstrument)[]): void {
    this.instruments = instruments.map(restEntry);
  }

  /** Instrument types subscribed now, per connected client, in order of connection. */
  subscribedTypes(): string[][] {
    return this.server.match().map((client) => [...(this.subscribed.get(client.id) ?? [])]);
  }

  /** Stop (or resume) answering `ping`. */
  setAnswerPings(answer: boolean): void {
    this.answerPings = answer;
  }

  /** Push one liquidation of `instId` to the clients subscribed to its type; returns how many got it. */
  liquidation(instId: string, liquidation: FakeOkxLiquidation = {}): number {
    const posSide = liquidation.posSide ?? 'long';
    const side = liquidation.side ?? (posSide === 'short' ? 'buy' : 'sell');
    const detail = { bkLoss: '0', bkPx: liquidation.bkPx ?? '100', ccy: '', posSide, side, sz: liquidation.sz ?? '1', ts: String(liquidation.ts ?? Date.now()) };
    return this.pushRaw(instId, [detail]);
  }

  /** Push a liquidation-orders frame of `instId` with these `details` (any shape) to subscribed clients. */
  pushRaw(instId: string, details: unknown[]): number {
    const instType = instTypeOf(instId);
    const family = instId.split('-').slice(0, 2).join('-');
    const frame = JSON.stringify({
      arg: { channel: 'liquidation-orders', instType },
      data: [{ details, instFamily: family, instId, instType, uly: family }],
    });
    return this.server.push(frame, (client) => this.subscribed.get(client.id)?.has(instType) ?? false);
  }

  /** Send an OKX notice (64008: service upgrade, reconnect) to every client. */
  notice(code = '64008', msg = 'The connection will soon be closed for a service upgrade. Please reconnect.'): void {
    this.server.push({ event: 'notice', code, msg, connId: 'fake' });
  }

  /** Cut every connection. */
  dropAll(): void {
    this.server.dropAll();
  }

  close(): Promise<void> {
    return this.server.close();
  }

  private onMessage(client: FakeClient, data: string): void {
    if (data === 'ping') {
      this.pings.set(client.id, (this.pings.get(client.id) ?? 0) + 1);
      if (this.answerPings) client.send('pong');
      return;
    }
    let message: { op?: unknown; args?: unknown; id?: unknown };
    try {
      message = JSON.parse(data) as typeof message;
    } catch {
      // OKX answers unparseable input with an error event.
      client.send({ event: 'error', code: '60012', msg: `Invalid request: ${data}`, connId: `fake-${client.id}` });
      return;
    }
    const id = typeof message.id === 'string' ? message.id : '';
    const echo = id ? { id } : {};
    const op = message.op;
    const args = Array.isArray(message.args) ? (message.args as unknown[]) : [];
    if (op !== 'subscribe' && op !== 'unsubscribe') {
      client.send({ ...echo, event: 'error', code: '60012', msg: `Invalid request: ${data}`, connId: `fake-${client.id}` });
      return;
    }
    this.requests.push({ client: client.id, op, id, args });
    const topics = this.subscribed.get(client.id) ?? new Set<string>();
    this.subscribed.set(client.id, topics);
    for (const arg of args) {
      const { channel, instType, instId } = (typeof arg === 'object' && arg !== null ? arg : {}) as Record<string, unknown>;
      // OKX's liquidation channel takes instType only; instId (or an unknown type) is refused with 60018.
      const valid = channel === 'liquidation-orders' && typeof instType === 'string' && ['SWAP', 'FUTURES', 'MARGIN', 'OPTION'].includes(instType) && instId === undefined;
      if (!valid || this.rejectTypes.has(String(instType))) {
        client.send({ ...echo, event: 'error', code: '60018', msg: `Wrong URL or channel:${String(channel)},instType:${String(instType)} doesn't exist.`, connId: `fake-${client.id}` });
        continue;
      }
      if (op === 'subscribe') topics.add(instType);
      else topics.delete(instType);
      client.send({ ...echo, event: op, arg: { channel, instType }, connId: `fake-${client.id}` });
    }
  }

  private instrumentList(url: URL): unknown {
    const instType = url.searchParams.get('instType');
    if (!instType || !['SPOT', 'MARGIN', 'SWAP', 'FUTURES', 'OPTION'].includes(instType)) {
      return { code: '51000', msg: 'Parameter instType error', data: [] };
    }
    return { code: '0', msg: '', data: this.instruments.filter((instrument) => instrument.instType === instType) };
  }
}
