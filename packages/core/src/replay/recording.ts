/**
 * The NDJSON recording format (docs/recording-format.md). One JSON object per line:
 *  - `{"type":"frame","source":"binance","use":"binance","channel":"usdm","receivedAt":...,"data":"<frame text>"}`:
 *    a raw exchange frame as `liqmon record` writes it; replay decodes it with the named source's decoder.
 *  - `{"type":"reference","source":"binance","use":"binance","receivedAt":...,"data":<reference data>}`: what
 *    the source's `reference()` returned (instrument lists, contract sizes), written before the source's
 *    first frame and again when it changes; replay hands it to `prepare(data)` so that it needs no network.
 *  - `{"type":"liquidation","event":{...}}`: a normalized liquidation.
 * For convenience replay also reads a bare liquidation object per line, and the alert lines that the
 * console sink prints with `format: json` (their `events`).
 */
import { open } from 'node:fs/promises';
import { LIQUIDATION_FIELDS, type Liquidation } from '../liquidation.js';
import type { RawFrame, ReferenceData } from '../plugin.js';

/** Version of the recording format, written in every frame line so that readers can evolve. */
export const RECORDING_VERSION = 1;

/** A raw frame line. */
export interface FrameRecord extends RawFrame {
  type: 'frame';
  /** Config name of the source that received the frame. */
  source: string;
  /** The source's plugin (`use:`), so a replay can say what to configure when the source is missing. */
  use: string;
  v?: number;
}

/** A normalized liquidation line. */
export interface LiquidationRecord {
  type: 'liquidation';
  event: Liquidation;
}

/**
 * A source's reference data (what its `reference()` returned) as of `receivedAt`: the frames of that
 * source after this line decode with it.
 */
export interface ReferenceRecord {
  type: 'reference';
  v?: number;
  /** Config name of the source. */
  source: string;
  /** The source's plugin (`use:`). */
  use: string;
  /** Local time the data was current, ms since epoch (the receive time of the frame it precedes). */
  receivedAt: number;
  /** The plugin's own JSON; `prepare` checks its shape. */
  data: ReferenceData;
}

export type RecordingEntry = FrameRecord | ReferenceRecord | LiquidationRecord;

/** Serialize a frame for `liqmon record`. */
export function frameLine(frame: RawFrame, source: string, use: string): string {
  const record: FrameRecord = { type: 'frame', v: RECORDING_VERSION, source, use, ...frame };
  return JSON.stringify(record);
}

/**
 * Serialize a source's reference data for `liqmon record`. `receivedAt` is the receive time of the frame
 * the line is written before, so that the recording's clock never goes back.
 */
export function referenceLine(data: ReferenceData, source: string, use: string, receivedAt: number): string {
  return referenceLineOfJson(JSON.stringify(data), source, use, receivedAt);
}

/** {@link referenceLine} for data already serialized (`json`: the JSON text of the data). */
export function referenceLineOfJson(json: string, source: string, use: string, receivedAt: number): string {
  const head: Omit<ReferenceRecord, 'data'> = { type: 'reference', v: RECORDING_VERSION, source, use, receivedAt };
  return `${JSON.stringify(head).slice(0, -1)},"data":${json}}`;
}

/** Serialize a liquidation. */
export function liquidationLine(event: Liquidation): string {
  return JSON.stringify({ type: 'liquidation', event } satisfies LiquidationRecord);
}

/**
 * Parse one line into zero or more entries. Throws an Error saying what is wrong (the caller adds the
 * line number). Blank lines give no entries.
 */
export function parseRecordingLine(line: string): RecordingEntry[] {
  if (line.trim() === '') return [];
  const value: unknown = JSON.parse(line);
  if (!isObject(value)) throw new Error('not a JSON object');
  if (value.type === 'frame') {
    for (const key of ['source', 'channel', 'data'] as const) {
      if (typeof value[key] !== 'string') throw new Error(`frame line without a string "${key}"`);
    }
    if (typeof value.receivedAt !== 'number') throw new Error('frame line without a numeric "receivedAt"');
    return [value as unknown as FrameRecord];
  }
  if (value.type === 'reference') {
    for (const key of ['source', 'use'] as const) {
      if (typeof value[key] !== 'string') throw new Error(`reference line without a string "${key}"`);
    }
    if (typeof value.receivedAt !== 'number' || !Number.isFinite(value.receivedAt)) throw new Error('reference line without a numeric "receivedAt"');
    // null is a value a plugin may return; only a missing "data" is a broken line.
    if (!('data' in value)) throw new Error('reference line without "data"');
    return [value as unknown as ReferenceRecord];
  }
  if (value.type === 'liquidation') return [{ type: 'liquidation', event: asLiquidation(value.event) }];
  if (Array.isArray(value.events)) return value.events.map((e) => ({ type: 'liquidation' as const, event: asLiquidation(e) }));
  if (value.type === undefined) {
    // A bare liquidation lacks a field or two when it is broken; an object that has none of them is
    // something else (a raw exchange frame, a log line): say that rather than list every field.
    if (!LIQUIDATION_FIELDS.some((field) => field in value)) throw new Error('no "type" field, and not a liquidation object');
    return [{ type: 'liquidation', event: asLiquidation(value) }];
  }
  throw new Error(`unknown line type ${JSON.stringify(value.type)}`);
}

function asLiquidation(value: unknown): Liquidation {
  if (!isObject(value)) throw new Error('liquidation is not an object');
  const missing = LIQUIDATION_FIELDS.filter((field) => !(field in value));
  if (missing.length > 0) throw new Error(`liquidation without ${missing.join(', ')}`);
  if (value.side !== 'long' && value.side !== 'short') throw new Error(`side must be long or short, not ${JSON.stringify(value.side)}`);
  for (const field of ['price', 'quantity', 'notionalUsd', 'time', 'receivedAt'] as const) {
    if (typeof value[field] !== 'number' || !Number.isFinite(value[field])) throw new Error(`${field} is not a finite number`);
  }
  return value as unknown as Liquidation;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Time of an entry on the recording's clock (receive time). */
export function entryTime(entry: RecordingEntry): number {
  return entry.type === 'liquidation' ? entry.event.receivedAt : entry.receivedAt;
}

/** How many non-empty lines {@link sampleRecording} reads at most. */
export const RECORDING_SAMPLE_LINES = 20;

/** How many bytes {@link sampleRecording} reads at most (a recorded frame is well under 1 MB). */
const SAMPLE_BYTES = 4 * 1024 * 1024;

/** What the first lines of a file say about it. */
export interface RecordingSample {
  /** Non-empty lines read (at most {@link RECORDING_SAMPLE_LINES}). */
  checked: number;
  /** Of those, lines that are recording entries. */
  readable: number;
  /** The first line that is not, and why. */
  firstProblem?: { line: number; reason: string };
}

/**
 * Read the first non-empty lines of `file` and tell how many are recording entries. A file none of
 * whose first lines is one (raw exchange frames, a log file) is not a recording: replaying it would
 * skip every line and "succeed" with nothing played. A recording with a few bad lines has readable
 * lines among its first ones.
 */
export async function sampleRecording(file: string, maxLines = RECORDING_SAMPLE_LINES): Promise<RecordingSample> {
  const handle = await open(file, 'r');
  let text: string;
  let truncated: boolean;
  try {
    const buffer = Buffer.alloc(SAMPLE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SAMPLE_BYTES, 0);
    text = buffer.toString('utf8', 0, bytesRead);
    truncated = bytesRead === SAMPLE_BYTES;
  } finally {
    await handle.close();
  }
  const lines = text.split('\n');
  // The last piece of a full buffer is a line cut short, unless it is the only one (a line over 4 MB).
  if (truncated && lines.length > 1) lines.pop();
  const sample: RecordingSample = { checked: 0, readable: 0 };
  for (const [index, line] of lines.entries()) {
    if (sample.checked === maxLines) break;
    if (line.trim() === '') continue;
    sample.checked++;
    try {
      if (truncated && lines.length === 1) throw new Error(`line longer than ${SAMPLE_BYTES / 1024 / 1024} MB`);
      parseRecordingLine(line);
      sample.readable++;
    } catch (error) {
      sample.firstProblem ??= { line: index + 1, reason: error instanceof Error ? error.message : String(error) };
    }
  }
  return sample;
}

/** A frame line as `liqmon record` writes it, for messages that show what a recording looks like. */
export const EXAMPLE_FRAME_LINE =
  '{"type":"frame","v":1,"source":"binance","use":"binance","channel":"usdm","receivedAt":1759309665210,"data":"{\\"e\\":\\"forceOrder\\",...}"}';
