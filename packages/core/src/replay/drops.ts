/**
 * The frames a replay dropped, by reason, with the recording's line numbers of the first few, so that
 * the summary can name them. Live `start` logs drops at most a line a second (a flood of garbage must
 * not flood the log); a replay has a file to point into, and says where every kind of drop is.
 */
import { sanitizeText } from '../format/sanitize.js';
import { describeError } from '../util/error-text.js';
import type { FrameDrop } from '../runtime/source-runner.js';

/** Line numbers kept per group (an instrument, a kind of drop); the rest are counted. */
export const LINES_NAMED = 5;
/** Unknown instruments kept by name per source; the rest are counted. */
export const INSTRUMENTS_NAMED = 10;

/** A count with the line numbers of its first {@link LINES_NAMED} frames. */
export interface DropGroup {
  count: number;
  lines: number[];
}

/** Unknown instruments of one source. */
export interface UnknownInstruments extends DropGroup {
  source: string;
  /** True when the recording held reference data for this source (a `reference` line). */
  referenceFromRecording: boolean;
  /** Each instrument named, in the order first seen (at most {@link INSTRUMENTS_NAMED}). */
  instruments: ({ name: string } & DropGroup)[];
}

/** What a replay dropped (JSON-serialisable: it goes into the summary's log fields). */
export interface DroppedFrames {
  /** Frames the decoder could not read; `firstError` says why the first one failed. */
  malformed: DropGroup & { firstError?: string };
  /** Frames larger than the source's `maxFrameBytes`. */
  oversized: DropGroup;
  /** Frames of instruments the reference data does not list, per source. */
  unknownInstrument: UnknownInstruments[];
}

/** Counts drops as a replay goes. */
export class DropTally {
  readonly #drops: DroppedFrames = { malformed: { count: 0, lines: [] }, oversized: { count: 0, lines: [] }, unknownInstrument: [] };

  /** Count one dropped frame of `source` at recording line `line`. */
  add(drop: FrameDrop, line: number, source: string, referenceFromRecording: boolean): void {
    if (drop.reason === 'malformed') {
      const group = this.#drops.malformed;
      // Exchange text inside: made safe for a terminal, and cut.
      group.firstError ??= sanitizeText(describeError(drop.error).slice(0, 200));
      note(group, line);
    } else if (drop.reason === 'oversized') {
      note(this.#drops.oversized, line);
    } else {
      let bySource = this.#drops.unknownInstrument.find((entry) => entry.source === source);
      if (!bySource) this.#drops.unknownInstrument.push((bySource = { source, referenceFromRecording, count: 0, lines: [], instruments: [] }));
      // The last word wins: a reference line that came later for this source is what it decoded with.
      bySource.referenceFromRecording = referenceFromRecording;
      note(bySource, line);
      let instrument = bySource.instruments.find((entry) => entry.name === drop.instrument);
      if (!instrument && bySource.instruments.length < INSTRUMENTS_NAMED) bySource.instruments.push((instrument = { name: drop.instrument, count: 0, lines: [] }));
      if (instrument) note(instrument, line);
    }
  }

  /** Frames dropped as unreadable. */
  get malformed(): number {
    return this.#drops.malformed.count;
  }

  /** Frames dropped for an instrument the reference data lacks. */
  get unknownInstrument(): number {
    return this.#drops.unknownInstrument.reduce((sum, entry) => sum + entry.count, 0);
  }

  /** Frames dropped unread for their size. */
  get oversized(): number {
    return this.#drops.oversized.count;
  }

  /** A copy of what was counted. */
  get drops(): DroppedFrames {
    return structuredClone(this.#drops);
  }
}

function note(group: DropGroup, line: number): void {
  group.count++;
  if (group.lines.length < LINES_NAMED) group.lines.push(line);
}

/** `3, 7, 9 and 2 more`. */
function linesText(group: DropGroup): string {
  const more = group.count - group.lines.length;
  return `${group.lines.length === 1 ? 'line' : 'lines'} ${group.lines.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

const frames = (count: number): string => `${count} frame${count === 1 ? '' : 's'}`;

/**
 * One sentence per kind of drop (and per source for unknown instruments), for the replay's summary:
 * `4 frames of binance could not be priced (instrument not in the recording's reference data, and
 * replay does not reach the network for it): BTCUSD_PERP at lines 3, 7; ETHUSD_PERP at line 5`.
 * Empty when nothing was dropped.
 */
export function describeDrops(drops: DroppedFrames): string[] {
  const sentences: string[] = [];
  for (const entry of drops.unknownInstrument) {
    const why = entry.referenceFromRecording
      ? "instrument not in the recording's reference data, and replay does not reach the network for it"
      : `instrument not in the reference data loaded for the replay; the recording holds none for ${entry.source}, record it again to keep it`;
    const named = entry.instruments.map((instrument) => `${instrument.name} at ${linesText(instrument)}`);
    const namedCount = entry.instruments.reduce((sum, instrument) => sum + instrument.count, 0);
    if (namedCount < entry.count) named.push(`${frames(entry.count - namedCount)} of other instruments`);
    sentences.push(`${frames(entry.count)} of ${entry.source} could not be priced (${why}): ${named.join('; ')}`);
  }
  const { malformed, oversized } = drops;
  if (malformed.count > 0) {
    sentences.push(`${frames(malformed.count)} could not be decoded (malformed) at ${linesText(malformed)}${malformed.firstError ? `; the first: ${malformed.firstError}` : ''}`);
  }
  if (oversized.count > 0) sentences.push(`${frames(oversized.count)} dropped unread (larger than maxFrameBytes) at ${linesText(oversized)}`);
  return sentences;
}
