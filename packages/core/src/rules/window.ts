/**
 * One key's rolling window for cascades, kept as numbers rather than as the events themselves: a busy
 * key can see tens of thousands of liquidations a minute, and holding every event object made memory
 * grow with rate x window (docs/performance.md). Per windowed event it keeps the arrival time, USD,
 * exchange time, price, exchange and base (parallel arrays of unboxed numbers and shared strings); of
 * the events themselves only the
 * largest (a monotonic queue, usually a handful) and the last {@link CASCADE_EVENTS_KEPT}, which is what
 * a cascade alert shows. Eviction is exactly that of a list of events: from the oldest on, while older
 * than the window.
 */
import type { AlertTally } from '../alert.js';
import type { Liquidation } from '../liquidation.js';

/** Most liquidations a cascade alert lists in `events`; its counts and tallies cover them all. */
export const CASCADE_EVENTS_KEPT = 50;

interface Kept {
  readonly event: Liquidation;
  /** Position in the stream of pushed events: it is in the window while `seq >= dropped`. */
  readonly seq: number;
}

/** Tallies of a cascade, from its first windowed event on. */
export interface Running {
  count: number;
  totalUsd: number;
  byExchange: Map<string, AlertTally>;
  largest: Liquidation;
  firstTime: number;
  lastTime: number;
  /**
   * Price of the earliest and of the latest liquidation by exchange time (of equal times, the first and
   * the last added), meaningful only while every event shares one base: see `base`.
   */
  firstPrice: number;
  lastPrice: number;
  /** The base asset of every event so far, or undefined once two differ (their prices do not compare). */
  base: string | undefined;
}

export class RollingWindow {
  private readonly at: number[] = [];
  private readonly usd: number[] = [];
  private readonly time: number[] = [];
  private readonly price: number[] = [];
  private readonly exchange: string[] = [];
  private readonly base: string[] = [];
  private head = 0;
  /** Events pushed and dropped so far: the window is seq `dropped` .. `pushed - 1`. */
  private pushed = 0;
  private dropped = 0;
  /** Windowed events none later is larger than, oldest first: the first is the window's largest. */
  private readonly peaks: Kept[] = [];
  private peaksHead = 0;
  private readonly recent: Kept[] = [];
  /** USD in the window, kept up to date on push and evict (compared with the bar only). */
  usdTotal = 0;

  /** Events in the window. */
  get count(): number {
    return this.at.length - this.head;
  }

  push(event: Liquidation, at: number): void {
    const kept = { event, seq: this.pushed++ };
    this.at.push(at);
    this.usd.push(event.notionalUsd);
    this.time.push(event.time);
    this.price.push(event.price);
    this.exchange.push(event.exchange);
    this.base.push(event.base);
    this.usdTotal += event.notionalUsd;
    while (this.peaks.length > this.peaksHead && this.peaks[this.peaks.length - 1]!.event.notionalUsd < event.notionalUsd) this.peaks.pop();
    this.peaks.push(kept);
    this.recent.push(kept);
    if (this.recent.length > CASCADE_EVENTS_KEPT) this.recent.shift();
  }

  /** Drop events that arrived at or before `cutoff`, oldest first, stopping at the first younger one. */
  evict(cutoff: number): void {
    while (this.head < this.at.length && this.at[this.head]! <= cutoff) {
      this.usdTotal -= this.usd[this.head]!;
      this.head++;
      this.dropped++;
    }
    while (this.peaksHead < this.peaks.length && this.peaks[this.peaksHead]!.seq < this.dropped) this.peaksHead++;
    if (this.head === this.at.length) {
      for (const list of this.columns()) list.length = 0;
      this.head = 0;
      this.usdTotal = 0; // also clears floating-point drift
      this.peaks.length = 0;
      this.peaksHead = 0;
      this.recent.length = 0;
    } else if (this.head > 1024 && this.head * 2 > this.at.length) {
      for (const list of this.columns()) list.splice(0, this.head);
      this.head = 0;
    }
    if (this.peaksHead > 1024 && this.peaksHead * 2 > this.peaks.length) {
      this.peaks.splice(0, this.peaksHead);
      this.peaksHead = 0;
    }
  }

  /** Tallies of the windowed events, added up oldest first (as adding each event would). */
  tally(): Running {
    const largest = this.peaks[this.peaksHead]!.event;
    const first = this.time[this.head]!;
    const price = this.price[this.head]!;
    const running: Running = {
      count: 0,
      totalUsd: 0,
      byExchange: new Map(),
      largest,
      firstTime: first,
      lastTime: first,
      firstPrice: price,
      lastPrice: price,
      base: this.base[this.head],
    };
    for (let i = this.head; i < this.at.length; i++) {
      const usd = this.usd[i]!;
      const time = this.time[i]!;
      if (this.base[i] !== running.base) running.base = undefined;
      running.count++;
      running.totalUsd += usd;
      const tally = running.byExchange.get(this.exchange[i]!);
      if (tally) {
        tally.count++;
        tally.notionalUsd += usd;
      } else {
        running.byExchange.set(this.exchange[i]!, { count: 1, notionalUsd: usd });
      }
      if (time < running.firstTime) {
        running.firstTime = time;
        running.firstPrice = this.price[i]!;
      }
      if (time >= running.lastTime) {
        running.lastTime = time;
        running.lastPrice = this.price[i]!;
      }
    }
    return running;
  }

  /** The parallel arrays, one entry per windowed event from `head` on. */
  private columns(): (number[] | string[])[] {
    return [this.at, this.usd, this.time, this.price, this.exchange, this.base];
  }

  /** The last {@link CASCADE_EVENTS_KEPT} windowed events, oldest first. */
  recentEvents(): Liquidation[] {
    const events: Liquidation[] = [];
    for (const kept of this.recent) if (kept.seq >= this.dropped) events.push(kept.event);
    return events;
  }
}
