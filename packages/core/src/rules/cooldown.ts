/**
 * Cooldown of a single-liquidation rule, per key (base and side): the first alert goes out at once;
 * alerts inside the cooldown wait and leave together when it ends, as one alert whose headline is the
 * largest and which says "+N more, $X" for the rest. Nothing vanishes: a timer flushes the waiting
 * alerts when the cooldown ends (and the next event checks too, for clocks that are not wall time),
 * and `stop()` flushes whatever still waits.
 *
 * Memory: a waiting fold keeps tallies (count, USD, first and last time) and only the
 * {@link COOLDOWN_EVENTS_KEPT} largest events, however many arrive; at most `maxKeys` keys cool down
 * at once, and an event of a new key beyond that is sent on its own, unfolded (and counted).
 */
import type { LiquidationAlert } from '../alert.js';
import { largestOf } from '../format/largest.js';
import type { Liquidation } from '../liquidation.js';
import type { Scheduler, Timer } from './timers.js';

/** Most liquidations a folded alert lists in `events` (the largest); its tallies cover them all. */
export const COOLDOWN_EVENTS_KEPT = 10;

/** What waits in one key's cooldown. */
interface Fold {
  /** The largest events so far, in arrival order once sorted by `seq`. */
  kept: { event: Liquidation; seq: number }[];
  count: number;
  totalUsd: number;
  firstTime: number;
  lastTime: number;
}

interface KeyState {
  until: number;
  pending: Fold | undefined;
  timer: Timer | undefined;
}

/** What a cooldown needs from its rule. */
export interface CooldownHost {
  readonly rule: string;
  now(): number;
  emit(alert: LiquidationAlert): void;
  /** Where cooldown timers run. */
  readonly timers: Scheduler;
  /** Most keys cooling down at once. */
  readonly maxKeys: number;
  /** An event of a new key arrived while `maxKeys` keys were cooling down: it was sent unfolded. */
  overKeyLimit(): void;
}

export class Cooldown {
  private readonly states = new Map<string, KeyState>();
  private seq = 0;

  constructor(
    private readonly cooldownMs: number,
    private readonly host: CooldownHost,
  ) {}

  /** Hand over an event that passed the rule; returns true when it was folded (held for later). */
  push(key: string, event: Liquidation, now: number): boolean {
    let state = this.states.get(key);
    if (state && now >= state.until) {
      this.expire(key, state, now);
      state = this.states.get(key);
    }
    if (state) {
      state.pending ??= { kept: [], count: 0, totalUsd: 0, firstTime: event.time, lastTime: event.time };
      this.fold(state.pending, event);
      return true;
    }
    this.host.emit({ kind: 'liquidation', rule: this.host.rule, events: [event], createdAt: now });
    if (this.states.size >= this.host.maxKeys) this.host.overKeyLimit();
    else this.states.set(key, this.cool(key, now));
    return false;
  }

  /** Keys cooling down now. */
  get keys(): number {
    return this.states.size;
  }

  /** Flush every waiting alert and clear the timers. */
  stop(): void {
    const now = this.host.now();
    for (const state of this.states.values()) {
      state.timer?.cancel();
      if (state.pending) this.host.emit(this.alert(state.pending, now));
    }
    this.states.clear();
  }

  private fold(fold: Fold, event: Liquidation): void {
    fold.count++;
    fold.totalUsd += event.notionalUsd;
    if (event.time < fold.firstTime) fold.firstTime = event.time;
    if (event.time > fold.lastTime) fold.lastTime = event.time;
    const entry = { event, seq: this.seq++ };
    if (fold.kept.length < COOLDOWN_EVENTS_KEPT) {
      fold.kept.push(entry);
      return;
    }
    // Replace the smallest kept one (the earliest of equals), so that of equal events the latest stays,
    // as the headline rule (the latest of the largest) wants.
    let smallest = 0;
    for (let i = 1; i < fold.kept.length; i++) {
      const a = fold.kept[i]!;
      const b = fold.kept[smallest]!;
      if (a.event.notionalUsd < b.event.notionalUsd || (a.event.notionalUsd === b.event.notionalUsd && a.seq < b.seq)) smallest = i;
    }
    if (event.notionalUsd >= fold.kept[smallest]!.event.notionalUsd) fold.kept[smallest] = entry;
  }

  private cool(key: string, now: number): KeyState {
    const state: KeyState = { until: now + this.cooldownMs, pending: undefined, timer: undefined };
    state.timer = this.host.timers.start(this.cooldownMs, () => this.expire(key, state, this.host.now()));
    return state;
  }

  private expire(key: string, state: KeyState, now: number): void {
    state.timer?.cancel();
    state.timer = undefined;
    if (this.states.get(key) !== state) return;
    if (!state.pending) {
      this.states.delete(key);
      return;
    }
    const alert = this.alert(state.pending, now);
    // The flushed message starts a new cooldown, so the next alert of this key folds again.
    this.states.set(key, this.cool(key, now));
    this.host.emit(alert);
  }

  private alert(fold: Fold, now: number): LiquidationAlert {
    const events = fold.kept.sort((a, b) => a.seq - b.seq).map((entry) => entry.event);
    const alert: LiquidationAlert = { kind: 'liquidation', rule: this.host.rule, events, createdAt: now };
    if (fold.count > 1) {
      const head = largestOf(events)!; // the headline, as the formatter picks it
      alert.folded = { count: fold.count - 1, notionalUsd: fold.totalUsd - head.notionalUsd };
      alert.count = fold.count;
      alert.totalUsd = fold.totalUsd;
      alert.firstTime = fold.firstTime;
      alert.lastTime = fold.lastTime;
    }
    return alert;
  }
}
