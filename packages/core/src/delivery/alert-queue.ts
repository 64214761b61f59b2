/**
 * The waiting alerts of one outbox, oldest first: an array with a moving head. Taking a sent batch off
 * the front only moves the head (`Array#splice(0, n)` moved everything behind it, which made a burst
 * quadratic: 5% of liqmon's CPU in a 300,000-alert burst at 100 alerts per write), and the array is
 * compacted once the part already taken is at least as long as what waits, so each alert is copied
 * at most once more on average.
 */
export class AlertQueue<T> {
  private items: T[] = [];
  private head = 0;

  /** Items waiting. */
  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  /** The first `count` items, oldest first (a copy). */
  front(count: number): T[] {
    return this.items.slice(this.head, this.head + count);
  }

  /** Take the first `count` items off the queue. */
  dropFront(count: number): void {
    this.head += Math.min(count, this.length);
    if (this.head === this.items.length) this.clear();
    else if (this.head >= COMPACT_AFTER && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  /** Position of `item` (0 = oldest), or -1. */
  indexOf(item: T): number {
    const index = this.items.indexOf(item, this.head);
    return index < 0 ? -1 : index - this.head;
  }

  /** Position of the first item at or after `from` that fits `test`, or -1. */
  findIndex(test: (item: T) => boolean, from = 0): number {
    for (let i = this.head + from; i < this.items.length; i++) if (test(this.items[i]!)) return i - this.head;
    return -1;
  }

  /** Remove and return the item at `index`. */
  removeAt(index: number): T | undefined {
    return this.items.splice(this.head + index, 1)[0];
  }

  /** Insert `item` before the one at `index`. */
  insertAt(index: number, item: T): void {
    this.items.splice(this.head + index, 0, item);
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = this.head; i < this.items.length; i++) yield this.items[i]!;
  }
}

/** Below this many taken items the array is not worth compacting. */
const COMPACT_AFTER = 1024;
