/**
 * Field-by-field comparison of what a frame gave against what its expected file says, as readable
 * lines: `binance-usdm.jsonl:3 event 1 side: expected "long", got "short"`.
 */
import { GOLDEN_FIELDS, type GoldenEvent, type GoldenOutcome } from './golden-file.js';

/**
 * Numbers may differ by this relative amount: the same arithmetic written another way (x*y/z versus
 * x/z*y) moves the last bits, and that is not a wrong number. A wrong unit is off by far more.
 */
const RELATIVE_TOLERANCE = 1e-9;

function sameValue(expected: unknown, actual: unknown): boolean {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (expected === actual) return true;
    return Math.abs(expected - actual) <= RELATIVE_TOLERANCE * Math.max(Math.abs(expected), Math.abs(actual));
  }
  return Object.is(expected, actual);
}

const show = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value));

function describeOutcome(outcome: GoldenOutcome): string {
  if ('malformed' in outcome) return 'a MalformedFrameError';
  if ('unknownInstrument' in outcome) return `an UnknownInstrumentError for ${JSON.stringify(outcome.unknownInstrument)}`;
  return `${outcome.events.length} event(s)`;
}

/** Differences between the expected and the actual outcome of the frame at `where` (`file:line`). */
export function diffOutcome(where: string, expected: GoldenOutcome, actual: GoldenOutcome): string[] {
  if (!('events' in expected) || !('events' in actual)) {
    return describeOutcome(expected) === describeOutcome(actual)
      ? []
      : [`${where}: expected ${describeOutcome(expected)}, got ${describeOutcome(actual)}`];
  }
  const lines: string[] = [];
  if (expected.events.length !== actual.events.length) {
    lines.push(`${where}: expected ${expected.events.length} event(s), got ${actual.events.length}`);
  }
  const count = Math.min(expected.events.length, actual.events.length);
  for (let index = 0; index < count; index++) {
    lines.push(...diffEvent(`${where} event ${index + 1}`, expected.events[index] ?? {}, actual.events[index] ?? {}));
  }
  return lines;
}

function diffEvent(where: string, expected: GoldenEvent, actual: GoldenEvent): string[] {
  const lines: string[] = [];
  for (const field of GOLDEN_FIELDS) {
    if (!sameValue(expected[field], actual[field])) {
      lines.push(`${where} ${field}: expected ${show(expected[field])}, got ${show(actual[field])}`);
    }
  }
  return lines;
}
