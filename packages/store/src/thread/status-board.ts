/**
 * The writer thread's counters, in memory both threads see: the writer sets them after every
 * transaction, the main thread reads them whenever `/healthz`, `liqmon status` or a scrape asks,
 * without a message round trip. Doubles, so that counts never wrap in a long run.
 */
import { NOT_STORED_REASONS, noneNotStored, type NotStoredReason, type WriterState } from '../writer.js';

const STATES: readonly WriterState[] = ['on', 'paused', 'off'];
const STATE = 0;
const WRITTEN = 1;
const NOT_STORED = 2;

export class StatusBoard {
  readonly buffer: SharedArrayBuffer;
  readonly #cells: Float64Array;

  constructor(buffer = new SharedArrayBuffer(Float64Array.BYTES_PER_ELEMENT * (NOT_STORED + NOT_STORED_REASONS.length))) {
    this.buffer = buffer;
    this.#cells = new Float64Array(buffer);
  }

  get state(): WriterState {
    return STATES[this.#cells[STATE]!] ?? 'off';
  }

  get written(): number {
    return this.#cells[WRITTEN]!;
  }

  notStored(): Record<NotStoredReason, number> {
    const counts = noneNotStored();
    NOT_STORED_REASONS.forEach((reason, i) => (counts[reason] = this.#cells[NOT_STORED + i]!));
    return counts;
  }

  /** Publish the writer's counters (writer thread). */
  set(state: WriterState, written: number, notStored: Readonly<Record<NotStoredReason, number>>): void {
    this.#cells[STATE] = STATES.indexOf(state);
    this.#cells[WRITTEN] = written;
    NOT_STORED_REASONS.forEach((reason, i) => (this.#cells[NOT_STORED + i] = notStored[reason]));
  }
}
