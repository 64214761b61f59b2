/**
 * Where the rules' timers run (cooldown ends, cascade updates, state expiry). Live, on real timers
 * ({@link realTimers}); in a replay, on the recording's clock ({@link VirtualTimers}), so that an update
 * due at 16:01:30 leaves at 16:01:30 of the recording whatever the playback speed.
 */

/** A pending timer; `cancel()` is idempotent. */
export interface Timer {
  cancel(): void;
}

/** Starts timers for the rules. */
export interface Scheduler {
  /** Run `run` once, `ms` from now on this scheduler's clock. */
  start(ms: number, run: () => void): Timer;
}

/** Node's longest timeout (about 24.8 days); a longer one would fire after 1 ms. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** Real timers that never keep the process alive on their own (sources and sinks do that). */
export const realTimers: Scheduler = {
  start(ms, run) {
    let timeout: ReturnType<typeof setTimeout> | undefined;
    const arm = (left: number): void => {
      // Longer than Node allows: wait in steps rather than fire early.
      const step = Math.min(Math.max(0, left), MAX_TIMEOUT_MS);
      timeout = setTimeout(() => (left > step ? arm(left - step) : run()), step);
      timeout.unref?.();
    };
    arm(ms);
    return { cancel: () => clearTimeout(timeout) };
  },
};

interface VirtualTimer extends Timer {
  readonly due: number;
  readonly seq: number;
  readonly run: () => void;
  cancelled: boolean;
}

/**
 * Timers on a clock that the caller moves (a replay moves it from recorded time to recorded time).
 * {@link advanceTo} runs the timers due by then in time order, each with the clock set to its due
 * time, so they fire exactly as they would have live, however fast the clock is moved.
 */
export class VirtualTimers implements Scheduler {
  /** The clock, ms since epoch. */
  current = 0;
  /** A min-heap by (due, seq): equal due times fire in the order they were started. */
  private readonly heap: VirtualTimer[] = [];
  private seq = 0;
  private cancelled = 0;

  /** The clock as a function (the rules' `now`). */
  readonly now = (): number => this.current;

  start(ms: number, run: () => void): Timer {
    const timer: VirtualTimer = {
      due: this.current + Math.max(0, ms),
      seq: this.seq++,
      run,
      cancelled: false,
      cancel: () => {
        if (timer.cancelled) return;
        timer.cancelled = true;
        this.cancelled++;
        if (this.cancelled > 1024 && this.cancelled * 2 > this.heap.length) this.compact();
      },
    };
    this.push(timer);
    return timer;
  }

  /** Due time of the earliest pending timer, or undefined when none waits. */
  nextDue(): number | undefined {
    this.dropCancelled();
    return this.heap[0]?.due;
  }

  /**
   * Move the clock to `time`, first running every timer due at or before it, in time order (timers
   * started meanwhile included). The clock never moves back: an earlier `time` leaves it where it is.
   */
  advanceTo(time: number): void {
    for (let due = this.nextDue(); due !== undefined && due <= time; due = this.nextDue()) {
      const timer = this.pop()!;
      if (due > this.current) this.current = due;
      timer.run();
    }
    if (time > this.current) this.current = time;
  }

  /** Run every pending timer in time order, until none is left (timers may start more). */
  runAll(): void {
    for (let due = this.nextDue(); due !== undefined; due = this.nextDue()) this.advanceTo(due);
  }

  private dropCancelled(): void {
    while (this.heap[0]?.cancelled) {
      this.pop();
      this.cancelled--;
    }
  }

  private compact(): void {
    const live = this.heap.filter((timer) => !timer.cancelled);
    this.heap.length = 0;
    this.cancelled = 0;
    for (const timer of live) this.push(timer);
  }

  private push(timer: VirtualTimer): void {
    const heap = this.heap;
    heap.push(timer);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private pop(): VirtualTimer | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || !last) return top;
    heap[0] = last;
    for (let i = 0; ; ) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < heap.length && before(heap[left]!, heap[least]!)) least = left;
      if (right < heap.length && before(heap[right]!, heap[least]!)) least = right;
      if (least === i) break;
      [heap[i], heap[least]] = [heap[least]!, heap[i]!];
      i = least;
    }
    return top;
  }
}

function before(a: VirtualTimer, b: VirtualTimer): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}
