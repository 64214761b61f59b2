/**
 * The sizes of a period's liquidations, kept for their median in bounded memory: every size exactly up
 * to {@link EXACT_SIZES_CAP} of them, then a histogram of log-spaced bins, each 1% wider than the one
 * below, so that past the cap the median is within 0.5% of the exact one whatever the number of events.
 */

/**
 * Sizes kept exactly, per period: 100,000 (800 KB). A busy day across every venue is about that many
 * liquidations; a longer or busier period switches to the histogram.
 */
export const EXACT_SIZES_CAP = 100_000;

/** Ratio between the bounds of a histogram bin: a bin's middle is within 0.5% of any size in it. */
const BIN_RATIO = 1.01;
const LOG_RATIO = Math.log(BIN_RATIO);
/** Sizes at or below this (none should be: core checks events) share the lowest bin. */
const SMALLEST = 1e-9;

/** Collects sizes (USD) and answers their median. */
export class SizeSample {
  private exact: Float64Array | undefined = new Float64Array(1024);
  private length = 0;
  /** Bin index -> count, once past the cap. */
  private bins: Map<number, number> | undefined;

  constructor(private readonly cap = EXACT_SIZES_CAP) {}

  /** Sizes added. */
  get count(): number {
    return this.length;
  }

  /** True once the median is approximate (past the cap). */
  get approximate(): boolean {
    return this.bins !== undefined;
  }

  add(usd: number): void {
    if (this.exact) {
      if (this.length < this.cap) {
        if (this.length === this.exact.length) this.grow();
        this.exact[this.length++] = usd;
        return;
      }
      this.toBins();
    }
    this.bin(usd);
    this.length++;
  }

  /**
   * The median: the middle size, or the mean of the two middle ones for an even count (as SQL's
   * median is usually written); undefined for no size. Past the cap, from the histogram (±0.5%).
   */
  median(): number | undefined {
    if (this.length === 0) return undefined;
    const low = Math.floor((this.length - 1) / 2);
    const high = Math.floor(this.length / 2);
    if (this.exact) {
      const sorted = this.exact.slice(0, this.length).sort();
      return (sorted[low]! + sorted[high]!) / 2;
    }
    return (this.ranked(low) + this.ranked(high)) / 2;
  }

  private grow(): void {
    const bigger = new Float64Array(Math.min(this.cap, this.exact!.length * 2));
    bigger.set(this.exact!);
    this.exact = bigger;
  }

  private toBins(): void {
    this.bins = new Map();
    for (let i = 0; i < this.length; i++) this.bin(this.exact![i]!);
    this.exact = undefined;
  }

  private bin(usd: number): void {
    const index = Math.floor(Math.log(Math.max(usd, SMALLEST)) / LOG_RATIO);
    this.bins!.set(index, (this.bins!.get(index) ?? 0) + 1);
  }

  /** The middle of the bin that holds the size of rank `rank` (0 = smallest). */
  private ranked(rank: number): number {
    const indexes = [...this.bins!.keys()].sort((a, b) => a - b);
    let seen = 0;
    for (const index of indexes) {
      seen += this.bins!.get(index)!;
      if (seen > rank) return BIN_RATIO ** (index + 0.5);
    }
    return BIN_RATIO ** ((indexes[indexes.length - 1] ?? 0) + 0.5);
  }
}
