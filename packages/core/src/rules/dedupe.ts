/**
 * Drops a liquidation seen again (same `id`) within a window: a reconnect replays recent frames, and two
 * sources on one exchange see the same ones. Memory is bounded twice: entries expire after the window
 * (swept at most once a second, oldest first, since a Map keeps insertion order) and the table never
 * holds more than `maxEntries` ids (the oldest go first).
 */
export class Dedupe {
  private readonly seen = new Map<string, number>();
  private nextSweepAt = 0;

  constructor(
    private readonly windowMs: number,
    private readonly maxEntries = DEDUPE_MAX_ENTRIES,
  ) {}

  /** True when `id` was seen less than the window ago; otherwise remembers it and returns false. */
  isDuplicate(id: string, now: number): boolean {
    if (this.windowMs <= 0) return false;
    if (now >= this.nextSweepAt) this.sweep(now);
    const expiresAt = this.seen.get(id);
    if (expiresAt !== undefined) {
      if (expiresAt > now) return true;
      this.seen.delete(id);
    }
    this.seen.set(id, now + this.windowMs);
    if (this.seen.size > this.maxEntries) {
      const oldest = this.seen.keys().next();
      if (!oldest.done) this.seen.delete(oldest.value);
    }
    return false;
  }

  /** Ids remembered now. */
  get size(): number {
    return this.seen.size;
  }

  private sweep(now: number): void {
    this.nextSweepAt = now + 1000;
    for (const [id, expiresAt] of this.seen) {
      if (expiresAt > now) break;
      this.seen.delete(id);
    }
  }
}

/** Most ids the dedupe table holds (about 10 MB); ample for a minute of every exchange's feed. */
export const DEDUPE_MAX_ENTRIES = 100_000;
