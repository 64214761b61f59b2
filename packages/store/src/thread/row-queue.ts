/**
 * The writer thread's queue of liquidations received and not yet written, oldest first. It is bounded:
 * what arrives beyond `max` waiting is refused (the writer counts it as not stored, `backlog`), so a
 * disk slower than the feed costs history, never memory. Taking from the head moves an index instead
 * of shifting the array, and the array is cut once `compactAfter` taken items sit at its head, so a
 * feed that never lets the queue empty does not keep every written row alive behind it.
 */
export class RowQueue<T> {
  readonly #max: number;
  readonly #compactAfter: number;
  #items: T[] = [];
  #start = 0;

  /**
   * @param max items waiting at most
   * @param compactAfter taken items kept at the head of the array at most before it is cut
   */
  constructor(max: number, compactAfter: number) {
    this.#max = max;
    this.#compactAfter = compactAfter;
  }

  /** Items waiting. */
  get length(): number {
    return this.#items.length - this.#start;
  }

  /** Items the queue holds in memory: those waiting, and taken ones not yet cut off (for tests). */
  get retained(): number {
    return this.#items.length;
  }

  /** Add `items` in order, as many as there is room for; returns how many were refused (the newest). */
  push(items: readonly T[]): number {
    const room = Math.max(0, this.#max - this.length);
    const taken = Math.min(room, items.length);
    for (let i = 0; i < taken; i++) this.#items.push(items[i]!);
    return items.length - taken;
  }

  /** Up to `count` items from the head, oldest first. */
  take(count: number): T[] {
    const end = Math.min(this.#items.length, this.#start + count);
    const taken = this.#items.slice(this.#start, end);
    this.#start = end;
    if (this.#start === this.#items.length) {
      this.#items = [];
      this.#start = 0;
    } else if (this.#start >= this.#compactAfter) {
      this.#items = this.#items.slice(this.#start);
      this.#start = 0;
    }
    return taken;
  }
}
