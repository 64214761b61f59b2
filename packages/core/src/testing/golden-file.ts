/**
 * The two files of a golden pair and the reference snapshot beside them:
 *  - `NAME.jsonl`: frames in the recording format (docs/recording-format.md), read with the same parser
 *    as `liqmon replay`, so a recording can become a golden file as it is;
 *  - `NAME.expected.jsonl`: one line per frame, `{"frame":LINE,"events":[...]}` (every Liquidation field
 *    but `id`, `receivedAt` and `source`), `{"frame":LINE,"malformed":true}` or
 *    `{"frame":LINE,"unknownInstrument":"NAME"}` (the decoder threw UnknownInstrumentError for NAME);
 *  - `reference.json` (optional, one per folder): the options that point the source at a local server
 *    and the REST replies that server gives, so `prepare()` loads instrument data with no network.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LIQUIDATION_FIELDS, type Liquidation } from '../liquidation.js';
import type { RawFrame } from '../plugin.js';
import { parseRecordingLine } from '../replay/recording.js';

/** Fields of an expected event: what the decoder alone decides. */
export const GOLDEN_FIELDS = LIQUIDATION_FIELDS.filter((field) => !['id', 'receivedAt', 'source'].includes(field));

/** An expected (or actual) event: the Liquidation without `id`, `receivedAt` and `source`. */
export type GoldenEvent = Partial<Record<(typeof GOLDEN_FIELDS)[number], unknown>>;

/** What one frame must give. */
export type GoldenOutcome = { events: GoldenEvent[] } | { malformed: true } | { unknownInstrument: string };

/** One frame of a golden file with its line number (1-based). */
export interface GoldenFrame {
  line: number;
  frame: RawFrame;
}

/** The golden files of a folder: every `NAME.jsonl` that is not an expected file. */
export function listGoldenFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl') && !name.endsWith('.expected.jsonl'))
    .sort()
    .map((name) => path.join(dir, name));
}

/** `x/NAME.jsonl` -> `x/NAME.expected.jsonl`. */
export function expectedPathOf(file: string): string {
  return file.replace(/\.jsonl$/, '.expected.jsonl');
}

/** The frame lines of a golden file; throws naming file:line for a line that is not a frame. */
export function readGoldenFrames(file: string): GoldenFrame[] {
  const frames: GoldenFrame[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, index) => {
      const where = `${path.basename(file)}:${index + 1}`;
      let entries;
      try {
        entries = parseRecordingLine(text);
      } catch (error) {
        throw new Error(`${where}: ${(error as Error).message}`);
      }
      for (const entry of entries) {
        // A recording's reference lines: the folder's reference.json serves prepare() here.
        if (entry.type === 'reference') continue;
        if (entry.type !== 'frame') throw new Error(`${where}: a golden file holds frames ("type":"frame"), not liquidations`);
        frames.push({ line: index + 1, frame: { channel: entry.channel, data: entry.data, receivedAt: entry.receivedAt } });
      }
    });
  return frames;
}

/** The expected outcomes by frame line, or undefined when the file does not exist. */
export function readExpected(file: string): Map<number, GoldenOutcome> | undefined {
  if (!existsSync(file)) return undefined;
  const outcomes = new Map<number, GoldenOutcome>();
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, index) => {
      if (text.trim() === '') return;
      const where = `${path.basename(file)}:${index + 1}`;
      let value: { frame?: unknown; events?: unknown; malformed?: unknown; unknownInstrument?: unknown };
      try {
        value = JSON.parse(text) as typeof value;
      } catch {
        throw new Error(`${where}: not JSON`);
      }
      if (typeof value.frame !== 'number') throw new Error(`${where}: no "frame" line number`);
      if (value.malformed === true) outcomes.set(value.frame, { malformed: true });
      else if (typeof value.unknownInstrument === 'string') outcomes.set(value.frame, { unknownInstrument: value.unknownInstrument });
      else if (Array.isArray(value.events)) outcomes.set(value.frame, { events: value.events as GoldenEvent[] });
      else throw new Error(`${where}: none of "events", "malformed": true or "unknownInstrument"`);
    });
  return outcomes;
}

/** An event as an expected file holds it: the golden fields, in the documented order. */
export function toGoldenEvent(event: Liquidation): GoldenEvent {
  const record = event as unknown as Record<string, unknown>;
  return Object.fromEntries(GOLDEN_FIELDS.map((field) => [field, record[field]]));
}

/** The text of an expected file for these outcomes (one line per frame, in frame order). */
export function formatExpected(outcomes: readonly { line: number; outcome: GoldenOutcome }[]): string {
  return outcomes.map(({ line, outcome }) => `${JSON.stringify({ frame: line, ...outcome })}\n`).join('');
}

/** `reference.json`: how to point the source at a local server and what that server answers. */
export interface GoldenReference {
  /**
   * Source options; the strings `${httpUrl}` and `${wsUrl}` inside them become the local server's
   * base URLs. @default { restUrl: '${httpUrl}', wsUrl: '${wsUrl}' } (the convention of newer venues)
   */
  options?: Record<string, unknown>;
  /**
   * REST replies by path. A key may carry a query (`/v5/market/instruments-info?category=linear`): it
   * then answers only requests whose query includes those parameters.
   */
  rest?: Record<string, unknown>;
}

/** Reads `reference.json` of a golden folder, or undefined when there is none. */
export function readReference(dir: string): GoldenReference | undefined {
  const file = path.join(dir, 'reference.json');
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as GoldenReference;
  } catch (error) {
    throw new Error(`${file}: not JSON (${(error as Error).message})`);
  }
}
