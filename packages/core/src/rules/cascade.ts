/**
 * Cascades: a rolling window per key (e.g. base and side) that becomes one `kind: 'cascade'` alert when
 * its total reaches the bar (`aggregate.minUsd`, and `minCount` events). A running cascade then reports
 * at most one update per cooldown (the rule's `cooldown`, or the window length without one) saying what
 * was added since the last report; it ends once a whole window passes without an event for its key
 * and no update is waiting. Windows run on the engine's clock (arrival time) and timers on its
 * scheduler, so a replay that drives both from recorded times sees the same cascades as the live run.
 *
 * Memory: a sweep once per window forgets every key whose window is empty and whose update is sent
 * (a key that never reached the bar included), and at most `maxKeys` keys are tracked at once; an
 * event of a new key beyond that is not aggregated and is counted (`overKeyLimit`).
 */
import type { AlertTally, CascadeAlert } from '../alert.js';
import type { AggregateConfig } from '../config/schema.js';
import type { Liquidation } from '../liquidation.js';
import { keyOf, keyValues } from './key.js';
import type { Scheduler, Timer } from './timers.js';
import { CASCADE_EVENTS_KEPT, RollingWindow, type Running } from './window.js';

interface KeyState {
  readonly window: RollingWindow;
  running: Running | undefined;
  /** The last {@link CASCADE_EVENTS_KEPT} events added since the last report; `sinceCount` counts them all. */
  since: Liquidation[];
  sinceCount: number;
  sinceUsd: number;
  lastReportAt: number;
  timer: Timer | undefined;
}

/** What a tracker needs from its rule. */
export interface CascadeHost {
  readonly rule: string;
  now(): number;
  emit(alert: CascadeAlert): void;
  /** Where cooldown and sweep timers run. */
  readonly timers: Scheduler;
  /** Most keys tracked at once. */
  readonly maxKeys: number;
  /** An event of a new key arrived while `maxKeys` keys were tracked: it was not aggregated. */
  overKeyLimit(): void;
}

export class CascadeTracker {
  private readonly states = new Map<string, KeyState>();
  private readonly keyOf: (event: Liquidation) => string;
  private readonly windowMs: number;
  private readonly minUsd: number;
  private readonly minCount: number;
  private sweeper: Timer | undefined;

  constructor(
    private readonly aggregate: AggregateConfig,
    private readonly cooldownMs: number,
    private readonly host: CascadeHost,
  ) {
    this.keyOf = keyOf(aggregate.by);
    this.windowMs = aggregate.window;
    this.minUsd = aggregate.minUsd ?? 0;
    this.minCount = aggregate.minCount ?? 1;
  }

  /** Add an event that passed the rule's match and thresholds; false when it was over the key limit. */
  push(event: Liquidation, now: number): boolean {
    const key = this.keyOf(event);
    let state = this.states.get(key);
    if (state?.timer && now >= state.lastReportAt + this.cooldownMs) {
      this.flush(key, state, now); // the clock passed the cooldown before the timer fired (replays)
      state = this.states.get(key);
    }
    if (!state) {
      if (this.states.size >= this.host.maxKeys) {
        this.host.overKeyLimit();
        return false;
      }
      state = { window: new RollingWindow(), running: undefined, since: [], sinceCount: 0, sinceUsd: 0, lastReportAt: 0, timer: undefined };
      this.states.set(key, state);
      this.sweeper ??= this.host.timers.start(this.windowMs, () => this.sweep());
    }
    state.window.evict(now - this.windowMs);
    if (state.running && !state.timer && state.window.count === 0) state.running = undefined; // ended quietly

    state.window.push(event, now);

    if (!state.running) {
      if (state.window.usdTotal >= this.minUsd && state.window.count >= this.minCount) this.start(state, event, now);
      return true;
    }
    add(state.running, event);
    state.since.push(event);
    if (state.since.length > CASCADE_EVENTS_KEPT) state.since.shift();
    state.sinceCount++;
    state.sinceUsd += event.notionalUsd;
    if (now - state.lastReportAt >= this.cooldownMs) this.report(state, event, now);
    else state.timer ??= this.host.timers.start(state.lastReportAt + this.cooldownMs - now, () => this.flush(key, state, this.host.now()));
    return true;
  }

  /** Keys tracked now. */
  get keys(): number {
    return this.states.size;
  }

  /** Clear timers and report every update still waiting. */
  stop(): void {
    const now = this.host.now();
    this.sweeper?.cancel();
    this.sweeper = undefined;
    for (const state of this.states.values()) {
      state.timer?.cancel();
      state.timer = undefined;
      const last = state.since.at(-1);
      if (last) this.report(state, last, now);
    }
    this.states.clear();
  }

  private start(state: KeyState, event: Liquidation, now: number): void {
    const running = state.window.tally();
    state.running = running;
    state.lastReportAt = now;
    this.host.emit(this.alert(running, state.window.recentEvents(), event, now));
  }

  private report(state: KeyState, event: Liquidation, now: number): void {
    const running = state.running;
    if (!running || state.sinceCount === 0) return;
    const alert = this.alert(running, state.since, event, now);
    alert.sinceLastReport = { count: state.sinceCount, notionalUsd: state.sinceUsd, sinceMs: now - state.lastReportAt };
    state.since = [];
    state.sinceCount = 0;
    state.sinceUsd = 0;
    state.lastReportAt = now;
    state.timer?.cancel();
    state.timer = undefined;
    this.host.emit(alert);
  }

  /** The cooldown ended: report what waits, and forget the key once its window is empty. */
  private flush(key: string, state: KeyState, now: number): void {
    state.timer?.cancel();
    state.timer = undefined;
    const last = state.since.at(-1);
    if (last) this.report(state, last, now);
    state.window.evict(now - this.windowMs);
    if (state.window.count === 0 && this.states.get(key) === state) this.states.delete(key);
  }

  /**
   * Forget every key whose window is empty and that waits for no update (a cascade that ended, or a
   * key that never reached the bar); then sweep again a window later while keys remain. Removing such
   * a key changes nothing the rule does: its next event would find an empty window either way.
   */
  private sweep(): void {
    this.sweeper = undefined;
    const cutoff = this.host.now() - this.windowMs;
    for (const [key, state] of this.states) {
      if (state.timer) continue;
      state.window.evict(cutoff);
      if (state.window.count === 0) this.states.delete(key);
    }
    if (this.states.size > 0) this.sweeper = this.host.timers.start(this.windowMs, () => this.sweep());
  }

  private alert(running: Running, events: readonly Liquidation[], sample: Liquidation, now: number): CascadeAlert {
    const byExchange: Record<string, AlertTally> = {};
    for (const [exchange, tally] of running.byExchange) byExchange[exchange] = { ...tally };
    return {
      kind: 'cascade',
      rule: this.host.rule,
      events: [...events],
      createdAt: now,
      key: keyValues(this.aggregate.by, sample),
      windowMs: this.windowMs,
      count: running.count,
      totalUsd: running.totalUsd,
      byExchange,
      largest: running.largest,
      firstTime: running.firstTime,
      lastTime: running.lastTime,
      // The whole cascade's range, on updates too ("BTC fell from X to Y during this cascade").
      ...(running.base === undefined ? {} : { firstPrice: running.firstPrice, lastPrice: running.lastPrice }),
    };
  }
}

function add(running: Running, event: Liquidation): void {
  running.count++;
  running.totalUsd += event.notionalUsd;
  const tally = running.byExchange.get(event.exchange);
  if (tally) {
    tally.count++;
    tally.notionalUsd += event.notionalUsd;
  } else {
    running.byExchange.set(event.exchange, { count: 1, notionalUsd: event.notionalUsd });
  }
  if (event.notionalUsd > running.largest.notionalUsd) running.largest = event;
  if (event.base !== running.base) running.base = undefined;
  if (event.time < running.firstTime) {
    running.firstTime = event.time;
    running.firstPrice = event.price;
  }
  if (event.time >= running.lastTime) {
    running.lastTime = event.time;
    running.lastPrice = event.price;
  }
}
