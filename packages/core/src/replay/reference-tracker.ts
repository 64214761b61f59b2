/**
 * When `liqmon record` writes a source's reference data: before the source's first frame, and again
 * when the data has changed, which it can only do in a refresh. A refresh that core triggered (an
 * unknown instrument) is known at once ({@link RecordedReference.refreshed}); the sources' own
 * scheduled refreshes are not, so the data is also compared every {@link REFERENCE_CHECK_MS} of
 * recording time. The comparison is of the JSON text, never per frame.
 */
import type { ReferenceData } from '../plugin.js';
import { referenceLineOfJson } from './recording.js';

/** How often, in ms of frame receive time, a source's reference data is compared with the one written. */
export const REFERENCE_CHECK_MS = 60_000;

/** The reference data of one recorded source, and whether it must be written again. */
export class RecordedReference {
  readonly #read: () => ReferenceData;
  readonly #source: string;
  readonly #use: string;
  /** JSON text of the data last written. */
  #written: string | undefined;
  #checkedAt = Number.NEGATIVE_INFINITY;
  #due = true;

  /** `read` returns the source's current reference data (`SourceRunner.reference`). */
  constructor(read: () => ReferenceData, source: string, use: string) {
    this.#read = read;
    this.#source = source;
    this.#use = use;
  }

  /** A refresh has finished: compare before the next frame. */
  refreshed(): void {
    this.#due = true;
  }

  /**
   * Before writing a frame received at `receivedAt`: the reference line to write first (the first time,
   * or when the data changed since the last line), else undefined.
   */
  lineBefore(receivedAt: number): string | undefined {
    if (!this.#due && receivedAt - this.#checkedAt < REFERENCE_CHECK_MS) return undefined;
    this.#checkedAt = receivedAt;
    this.#due = false;
    let data: ReferenceData;
    try {
      data = this.#read();
    } catch {
      return undefined; // a plugin bug; its frames are still recorded (replay falls back to prepare())
    }
    // Nothing loaded yet (offline at start): looked at again at the next check.
    if (data === undefined) return undefined;
    const json = JSON.stringify(data);
    if (json === this.#written) return undefined;
    this.#written = json;
    return referenceLineOfJson(json, this.#source, this.#use, receivedAt);
  }
}
