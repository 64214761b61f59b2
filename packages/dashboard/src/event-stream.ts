/**
 * `GET /api/stream`: Server-Sent Events to every viewer.
 *
 * At 1,000 liquidations a second, writing each event to each viewer would cost a system call per event
 * per viewer. Events are serialized once, collected for `flushMs`, and written to each viewer as one
 * chunk. A viewer that does not read (a stalled tab, a slow link) would make Node buffer without limit:
 * when what is waiting for a viewer passes `maxBufferedBytes`, that viewer is dropped (its browser
 * reconnects on its own and gets the live events from then on). A comment line every `heartbeatMs`
 * keeps proxies from closing a quiet stream.
 */
import { isEmptyFilter, matchesFilter, type LiquidationFilter } from './filter.js';
import type { LiquidationView } from './shapes.js';

/** Limits of the event stream. */
export interface EventStreamLimits {
  /** Bytes waiting for one viewer before it is dropped. @default 1 MiB */
  maxBufferedBytes: number;
  /** A comment line is sent this often, in ms. @default 15 s */
  heartbeatMs: number;
  /** Events are written this long after the first one waiting, in ms. @default 100 */
  flushMs: number;
  /** Viewers at once; more get 503. @default 100 */
  maxViewers: number;
}

/** Defaults of {@link EventStreamLimits}. */
export const EVENT_STREAM_LIMITS: Readonly<EventStreamLimits> = Object.freeze({
  maxBufferedBytes: 1024 * 1024,
  heartbeatMs: 15_000,
  flushMs: 100,
  maxViewers: 100,
});

/** What the stream needs of a response (Node's `ServerResponse` fits). */
export interface StreamResponse {
  readonly writableLength: number;
  writeHead(status: number, headers: Record<string, string>): unknown;
  write(chunk: string): boolean;
  destroy(): unknown;
  once(event: 'close', listener: () => void): unknown;
}

interface Viewer {
  res: StreamResponse;
  filter: LiquidationFilter;
}

interface Pending {
  frame: string;
  /** Set for `liquidation` events, which viewers may filter. */
  event?: LiquidationView;
}

/** Counters of the stream, for tests and the bench. */
export interface EventStreamStats {
  viewers: number;
  /** Viewers dropped for not reading. */
  dropped: number;
  /** Events published. */
  events: number;
}

/** Serialize one SSE event. `data` is JSON on one line (JSON.stringify never emits a raw newline). */
export function sseFrame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export class EventStream {
  readonly #limits: EventStreamLimits;
  readonly #viewers = new Set<Viewer>();
  #pending: Pending[] = [];
  #flushTimer: NodeJS.Timeout | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #dropped = 0;
  #events = 0;

  constructor(limits: Partial<EventStreamLimits> = {}) {
    this.#limits = { ...EVENT_STREAM_LIMITS, ...limits };
  }

  /** Answer a viewer's request: false (nothing written) when the stream is full. */
  attach(res: StreamResponse, filter: LiquidationFilter = {}): boolean {
    if (this.#viewers.size >= this.#limits.maxViewers) return false;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      // Proxies such as nginx buffer responses unless told not to.
      'x-accel-buffering': 'no',
    });
    // `retry` tells the browser how soon to reconnect after a drop.
    res.write(`retry: 2000\n: liqmon event stream\n\n`);
    const viewer: Viewer = { res, filter };
    this.#viewers.add(viewer);
    res.once('close', () => this.#viewers.delete(viewer));
    this.#heartbeat ??= setInterval(() => this.#beat(), this.#limits.heartbeatMs).unref();
    return true;
  }

  /** Send `liquidation` to every viewer whose filter it passes. */
  publishLiquidation(event: LiquidationView): void {
    if (this.#viewers.size === 0) return;
    this.#queue({ frame: sseFrame('liquidation', event), event });
  }

  /** Send an event to every viewer, unfiltered. */
  publish(name: string, data: unknown): void {
    if (this.#viewers.size === 0) return;
    this.#queue({ frame: sseFrame(name, data) });
  }

  #queue(pending: Pending): void {
    this.#events++;
    this.#pending.push(pending);
    this.#flushTimer ??= setTimeout(() => this.flush(), this.#limits.flushMs);
  }

  /** Write what is waiting now (also called by the timer). */
  flush(): void {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    const pending = this.#pending;
    this.#pending = [];
    if (pending.length === 0) return;
    let everything: string | undefined;
    for (const viewer of this.#viewers) {
      const chunk = isEmptyFilter(viewer.filter)
        ? (everything ??= pending.map((p) => p.frame).join(''))
        : pending
            .filter((p) => !p.event || matchesFilter(p.event, viewer.filter))
            .map((p) => p.frame)
            .join('');
      if (chunk.length > 0) this.#write(viewer, chunk);
    }
  }

  #beat(): void {
    if (this.#viewers.size === 0) {
      clearInterval(this.#heartbeat);
      this.#heartbeat = undefined;
      return;
    }
    for (const viewer of this.#viewers) this.#write(viewer, ': heartbeat\n\n');
  }

  #write(viewer: Viewer, chunk: string): void {
    if (viewer.res.writableLength + chunk.length > this.#limits.maxBufferedBytes) {
      this.#dropped++;
      this.#viewers.delete(viewer);
      viewer.res.destroy();
      return;
    }
    viewer.res.write(chunk);
  }

  stats(): EventStreamStats {
    return { viewers: this.#viewers.size, dropped: this.#dropped, events: this.#events };
  }

  /** End every viewer's stream and stop the timers. */
  close(): void {
    clearTimeout(this.#flushTimer);
    clearInterval(this.#heartbeat);
    this.#flushTimer = this.#heartbeat = undefined;
    this.#pending = [];
    for (const viewer of this.#viewers) viewer.res.destroy();
    this.#viewers.clear();
  }
}
