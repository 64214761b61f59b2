/**
 * Cooldown of a single-liquidation rule, per key (base and side): the first alert goes out at once;
 * alerts inside the cooldown wait and leave together when it ends, as one alert whose headline is the
 * largest and which says "+N more, $X" for the rest. Nothing vanishes: a timer flushes the waiting
 * alerts when the cooldown ends (and the next event checks too, for clocks that are not wall time),
 * and `stop()` flushes whatever still waits.
 */
import type { LiquidationAlert } from '../alert.js';
import { largestOf } from '../format/largest.js';
import type { Liquidation } from '../liquidation.js';
import { startTimer, type Timer } from './timers.js';

interface KeyState {
  until: number;
  pending: Liquidation[];
  timer: Timer | undefined;
}

export interface CooldownHost {
  readonly rule: string;
  now(): number;
  emit(alert: LiquidationAlert): void;
}

export class Cooldown {
  private readonly states = new Map<string, KeyState>();

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
      state.pending.push(event);
      return true;
    }
    this.host.emit(this.alert([event], now));
    this.states.set(key, this.cool(key, now));
    return false;
  }

  /** Flush every waiting alert and clear the timers. */
  stop(): void {
    const now = this.host.now();
    for (const state of this.states.values()) {
      if (state.timer) clearTimeout(state.timer);
      if (state.pending.length > 0) this.host.emit(this.alert(state.pending, now));
    }
    this.states.clear();
  }

  private cool(key: string, now: number): KeyState {
    const state: KeyState = { until: now + this.cooldownMs, pending: [], timer: undefined };
    state.timer = startTimer(this.cooldownMs, () => this.expire(key, state, this.host.now()));
    return state;
  }

  private expire(key: string, state: KeyState, now: number): void {
    if (state.timer) clearTimeout(state.timer);
    state.timer = undefined;
    if (this.states.get(key) !== state) return;
    if (state.pending.length === 0) {
      this.states.delete(key);
      return;
    }
    const alert = this.alert(state.pending, now);
    // The flushed message starts a new cooldown, so the next alert of this key folds again.
    this.states.set(key, this.cool(key, now));
    this.host.emit(alert);
  }

  private alert(events: readonly Liquidation[], now: number): LiquidationAlert {
    const alert: LiquidationAlert = { kind: 'liquidation', rule: this.host.rule, events, createdAt: now };
    if (events.length > 1) {
      const head = largestOf(events);
      let notionalUsd = 0;
      for (const event of events) if (event !== head) notionalUsd += event.notionalUsd;
      alert.folded = { count: events.length - 1, notionalUsd };
    }
    return alert;
  }
}
