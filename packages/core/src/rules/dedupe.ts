import { encodeId, IdTable, type EncodedId } from './id-table.js';

/**
 * Drops a liquidation seen again (same `id`) within a window: a reconnect replays recent frames, and two
 * sources on one exchange see the same ones.
 *
 * Two generations of ids, each a table of id to first-seen time ({@link IdTable}, which keeps ids out of
 * the garbage collector's way): new ids go into the current one, which
 * becomes the previous one once it is a window old (or holds half the maximum), and the previous one is
 * then dropped whole. Below the maximum, every id younger than the window is in one of the two, so
 * lookups stay exact; above it (more than {@link DEDUPE_MAX_ENTRIES} ids a window, far beyond any real
 * feed) the oldest ids are forgotten early, so memory stays bounded. No per-entry expiry; the dropped
 * generation's memory is reused. (An earlier version evicted the oldest entry of one Map; V8 walks
 * over deleted slots to find it, which made a busy feed quadratic.)
 */
export class Dedupe {
  private current: IdTable;
  private previous: IdTable;
  private rotatedAt: number | undefined;
  /** Reused for every lookup: the hot path allocates nothing. */
  private readonly probe: EncodedId = { id: '', hash: 0, length: 0, wide: false };

  constructor(
    private readonly windowMs: number,
    private readonly maxEntries = DEDUPE_MAX_ENTRIES,
  ) {
    // A generation rotates once it holds half the maximum: its tables never need to grow past that.
    this.current = new IdTable(Math.ceil(maxEntries / 2));
    this.previous = new IdTable(Math.ceil(maxEntries / 2));
  }

  /** True when `id` was seen less than the window ago; otherwise remembers it and returns false. */
  isDuplicate(id: string, now: number): boolean {
    if (this.windowMs <= 0) return false;
    this.rotatedAt ??= now;
    if (now - this.rotatedAt >= this.windowMs || this.current.size >= this.maxEntries / 2) this.rotate(now);
    const probe = encodeId(id, this.probe);
    const seenAt = this.current.get(probe) ?? this.previous.get(probe);
    if (seenAt !== undefined && now - seenAt < this.windowMs) return true;
    this.current.add(probe, now);
    return false;
  }

  /** Ids remembered now. */
  get size(): number {
    return this.current.size + this.previous.size;
  }

  private rotate(now: number): void {
    // The dropped generation's memory becomes the new current one: rotating allocates nothing.
    const dropped = this.previous.clear();
    // After a quiet spell longer than the window, even the current generation has expired.
    if (now - (this.rotatedAt ?? now) >= 2 * this.windowMs) this.current.clear();
    this.previous = this.current;
    this.current = dropped;
    this.rotatedAt = now;
  }
}

/** Most ids the dedupe table holds (under 10 MB); ample for a minute of every exchange's feed. */
export const DEDUPE_MAX_ENTRIES = 100_000;
