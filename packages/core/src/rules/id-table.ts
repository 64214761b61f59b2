/**
 * An exact set of ids with the time each was first seen, for {@link Dedupe}. The ids are kept as bytes
 * in typed arrays and found through an open-addressing hash table of entry numbers, instead of as
 * strings in a Map: a busy feed puts tens of thousands of fresh id strings in a Map, each of which the
 * garbage collector then copies and scans until the table drops it, and that made dedupe the largest
 * cost of the whole chain (docs/performance.md). Typed arrays are never scanned and hold no pointers.
 *
 * Lookups stay exact: a slot whose 32-bit hash equals the probe's is confirmed by comparing the bytes.
 * Ids are ASCII in practice (exchange, market, symbol, numbers); an id with any other character (a
 * Binance symbol such as `币安人生USDT`) goes to a plain Map of strings, which stays tiny.
 *
 * One pass over the id's characters both hashes it and copies it into a shared probe buffer; adding the
 * id copies the probe into the table. No string is built or encoded by this code.
 */

/** The id being looked up, copied once and shared by both generations of a Dedupe. Grows as needed. */
let probe = new Uint8Array(256);

/** An id encoded into the probe buffer: its hash and length (`wide`: not ASCII, kept as a string). */
export interface EncodedId {
  id: string;
  hash: number;
  length: number;
  wide: boolean;
}

/** Copy `id` into the shared probe buffer and hash it (FNV-1a, 32 bits). */
export function encodeId(id: string, into: EncodedId): EncodedId {
  const length = id.length;
  if (length > probe.length) probe = new Uint8Array(Math.max(length, probe.length * 2));
  const bytes = probe;
  let hash = 0x811c9dc5;
  let wide = 0;
  for (let i = 0; i < length; i++) {
    const code = id.charCodeAt(i);
    wide |= code;
    bytes[i] = code;
    hash = Math.imul(hash ^ code, 0x01000193);
  }
  into.id = id;
  into.hash = hash | 0;
  into.length = length;
  into.wide = wide > 0x7f;
  return into;
}

const MIN_SLOTS = 1024;

/** How the byte store grows: by half, not double, so that a full table wastes at most a third of it. */
const BYTES_GROWTH = 1.5;

export class IdTable {
  /**
   * Open addressing, linear probing, at most half full. Slot i is two numbers: at 2i the entry number
   * + 1 (0: free), at 2i + 1 the entry's hash, so that a probe past another id reads one cache line
   * instead of also fetching that entry's hash from elsewhere.
   */
  private slots = new Int32Array(MIN_SLOTS * 2);
  /** Per entry: where its bytes start (entry i's bytes are bytes[starts[i] .. starts[i + 1])), first-seen time. */
  private starts = new Uint32Array(MIN_SLOTS / 2 + 1);
  private times = new Float64Array(MIN_SLOTS / 2);
  private bytes = new Uint8Array(32 * 1024);
  private count = 0;
  /** Ids with a non-ASCII character. */
  private readonly wide = new Map<string, number>();

  /** @param capacity most ids this table will hold (a Dedupe rotates before): entry arrays never grow past it. */
  constructor(private readonly capacity = Infinity) {}

  /** Ids held. */
  get size(): number {
    return this.count + this.wide.size;
  }

  /** When the id was first seen, or undefined. `id` must be the last one given to {@link encodeId}. */
  get(id: EncodedId): number | undefined {
    if (id.wide) return this.wide.size === 0 ? undefined : this.wide.get(id.id);
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    for (let slot = id.hash & mask; ; slot = (slot + 1) & mask) {
      const entry = slots[slot << 1]! - 1;
      if (entry < 0) return undefined;
      if (slots[(slot << 1) + 1] === id.hash && this.holds(entry, id.length)) return this.times[entry];
    }
  }

  /** Remember a new id (not in the table) as seen at `now`. `id` must be the last one given to {@link encodeId}. */
  add(id: EncodedId, now: number): void {
    if (id.wide) {
      this.wide.set(id.id, now);
      return;
    }
    if ((this.count + 1) * 2 > this.slots.length >> 1) this.growSlots();
    if (this.count === this.times.length) this.growEntries();
    const entry = this.count++;
    const start = this.starts[entry]!;
    if (start + id.length > this.bytes.length) this.growBytes(start + id.length);
    const bytes = this.bytes;
    for (let i = 0; i < id.length; i++) bytes[start + i] = probe[i]!; // a call to set() costs more for a few dozen bytes
    this.starts[entry + 1] = start + id.length;
    this.times[entry] = now;
    this.place(entry, id.hash);
  }

  /** Forget every id but keep the memory, so that a dedupe rotating its generations allocates nothing. */
  clear(): this {
    this.slots.fill(0);
    this.count = 0;
    this.wide.clear();
    return this;
  }

  private place(entry: number, hash: number): void {
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    let slot = hash & mask;
    while (slots[slot << 1] !== 0) slot = (slot + 1) & mask;
    slots[slot << 1] = entry + 1;
    slots[(slot << 1) + 1] = hash;
  }

  private holds(entry: number, length: number): boolean {
    const start = this.starts[entry]!;
    if (this.starts[entry + 1]! - start !== length) return false;
    const bytes = this.bytes;
    for (let i = 0; i < length; i++) if (bytes[start + i] !== probe[i]) return false;
    return true;
  }

  private growSlots(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    for (let slot = 0; slot < old.length; slot += 2) if (old[slot] !== 0) this.place(old[slot]! - 1, old[slot + 1]!);
  }

  private growEntries(): void {
    const size = Math.max(this.times.length + 1, Math.min(this.times.length * 2, this.capacity + 1));
    const starts = new Uint32Array(size + 1);
    starts.set(this.starts);
    this.starts = starts;
    const times = new Float64Array(size);
    times.set(this.times);
    this.times = times;
  }

  private growBytes(needed: number): void {
    const bytes = new Uint8Array(Math.max(needed, Math.ceil(this.bytes.length * BYTES_GROWTH)));
    bytes.set(this.bytes);
    this.bytes = bytes;
  }
}
