/**
 * An exact set of ids with the time each was first seen, for {@link Dedupe}. The ids are kept as UTF-8
 * bytes in one growing buffer and found by a 30-bit hash, instead of as strings in a Map: a busy feed
 * puts tens of thousands of fresh id strings in a Map, each of which the garbage collector then copies
 * and scans until the table drops it, and that made dedupe the largest cost of the whole chain
 * (docs/performance.md). Bytes in an ArrayBuffer are never scanned, and the Map holds only small
 * integers (hash -> entry). Lookups stay exact: a hash hit is confirmed by comparing the bytes, and an
 * id whose hash another id already holds goes to a plain Map of strings (rare: ~1 in 20,000 at 50k ids).
 */

/** Ids longer than this (in UTF-8 bytes) are kept as strings; real ids are under 100 bytes. */
const MAX_ID_BYTES = 1024;

/** The id being looked up, encoded once and shared by both generations of a Dedupe. */
const probe = Buffer.alloc(MAX_ID_BYTES + 4);

/** An id encoded into the probe buffer: its hash and byte length (`long`: kept as a string instead). */
export interface EncodedId {
  id: string;
  hash: number;
  length: number;
  long: boolean;
}

/** Encode `id` into the shared probe buffer and hash it (FNV-1a, cut to 30 bits so it is always a Smi). */
export function encodeId(id: string, into: EncodedId): EncodedId {
  const length = probe.write(id, 0, 'utf8');
  let hash = 0x811c9dc5;
  for (let i = 0; i < length; i++) hash = Math.imul(hash ^ probe[i]!, 0x01000193);
  into.id = id;
  into.hash = hash & 0x3fffffff;
  into.length = length;
  into.long = length > MAX_ID_BYTES; // the probe has 4 spare bytes: more than MAX_ID_BYTES means cut short
  return into;
}

export class IdTable {
  /** hash -> entry number; entry i's bytes are bytes[starts[i] .. starts[i + 1]). */
  private readonly entries = new Map<number, number>();
  /** Ids whose hash was taken by another id, and ids too long for the probe. */
  private readonly strings = new Map<string, number>();
  private bytes = Buffer.alloc(16 * 1024);
  private starts = new Uint32Array(257);
  private times = new Float64Array(256);
  private count = 0;

  /** Ids held. */
  get size(): number {
    return this.count + this.strings.size;
  }

  /** When the id was first seen, or undefined. `id` must be the last one given to {@link encodeId}. */
  get(id: EncodedId): number | undefined {
    if (!id.long) {
      const entry = this.entries.get(id.hash);
      if (entry !== undefined && this.holds(entry, id.length)) return this.times[entry];
    }
    return this.strings.size === 0 ? undefined : this.strings.get(id.id);
  }

  /** Remember a new id (not in the table) as seen at `now`. */
  add(id: EncodedId, now: number): void {
    if (id.long || this.entries.has(id.hash)) {
      this.strings.set(id.id, now);
      return;
    }
    const entry = this.count++;
    if (this.count === this.times.length) this.growEntries();
    const start = this.starts[entry]!;
    if (start + id.length > this.bytes.length) this.growBytes(start + id.length);
    const bytes = this.bytes;
    for (let i = 0; i < id.length; i++) bytes[start + i] = probe[i]!; // Buffer#copy costs more for a few dozen bytes
    this.starts[entry + 1] = start + id.length;
    this.times[entry] = now;
    this.entries.set(id.hash, entry);
  }

  private holds(entry: number, length: number): boolean {
    const start = this.starts[entry]!;
    const end = this.starts[entry + 1]!;
    return end - start === length && probe.compare(this.bytes, start, end, 0, length) === 0;
  }

  private growEntries(): void {
    const starts = new Uint32Array(this.starts.length * 2 - 1);
    starts.set(this.starts);
    this.starts = starts;
    const times = new Float64Array(this.times.length * 2);
    times.set(this.times);
    this.times = times;
  }

  private growBytes(needed: number): void {
    const bytes = Buffer.alloc(Math.max(needed, this.bytes.length * 2));
    this.bytes.copy(bytes);
    this.bytes = bytes;
  }
}
