/**
 * Amounts (`50000`, `50k`, `1.5M`, `$2B`) and durations (`500ms`, `10s`, `5m`, `1h`) as config values.
 * Both are zod schemas so that the JSON Schema for editors comes from the same definition.
 */
import { z } from 'zod';

/**
 * Longest duration a config may give: 2^31-1 ms (about 24.8 days). Node.js timers cannot wait longer:
 * a longer `setTimeout` fires after 1 ms instead, so a longer `cooldown` or refresh interval would fire
 * at once, again and again.
 */
export const MAX_DURATION_MS = 2 ** 31 - 1;

/**
 * Longest text of an amount or a duration. Real values are a few characters (`1.5M`, `500ms`); the cap
 * keeps a pasted 30,000-digit value from costing seconds of parsing.
 */
export const MAX_UNIT_TEXT_LENGTH = 32;

const AMOUNT_RE = /^\$?\s*(\d+(?:\.\d+)?|\.\d+)\s*([kKmMbB]?)$/;
const AMOUNT_SCALE: Record<string, number> = { '': 1, k: 1e3, m: 1e6, b: 1e9 };

/** Parse `50k`, `1.5M`, `$2B`, `50_000` to a number; undefined when the text is not an amount. */
export function parseAmount(text: string): number | undefined {
  if (text.length > MAX_UNIT_TEXT_LENGTH) return undefined;
  const match = AMOUNT_RE.exec(text.trim().replaceAll('_', '').replaceAll(',', ''));
  if (!match) return undefined;
  const [, digits = '', suffix = ''] = match;
  return Number(digits) * (AMOUNT_SCALE[suffix.toLowerCase()] ?? 1);
}

const DURATION_RE = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/;
const DURATION_MS: Record<string, number> = { ms: 1, s: 1e3, m: 60e3, h: 3600e3, d: 86400e3 };

/**
 * Parse `500ms`, `10s`, `5m`, `1h`, `1d` to milliseconds; undefined when the text is not a duration.
 * The result is not capped: compare it with {@link MAX_DURATION_MS} before giving it to a timer.
 */
export function parseDuration(text: string): number | undefined {
  if (text.length > MAX_UNIT_TEXT_LENGTH) return undefined;
  const match = DURATION_RE.exec(text.trim());
  if (!match) return undefined;
  const [, digits = '', unit = ''] = match;
  return Number(digits) * (DURATION_MS[unit] ?? Number.NaN);
}

const tooLong = (what: string) => `the text is too long for ${what} (at most ${MAX_UNIT_TEXT_LENGTH} characters)`;

/** A USD amount: a non-negative number or a string such as `50k`, `1.5M`, `$2B`. Output: number. */
export const amount = () =>
  z
    .union([
      z.number().nonnegative(),
      z
        .string()
        // Checked first and aborting: the pattern below backtracks on long text.
        .max(MAX_UNIT_TEXT_LENGTH, { abort: true, message: tooLong('an amount') })
        .regex(/^\$?\s*[\d_,]*\.?\d+\s*[kKmMbB]?$/, 'expected an amount such as 50000, 50k or 1.5M'),
    ])
    .transform((value, ctx) => {
      if (typeof value === 'number') return value;
      const parsed = parseAmount(value);
      if (parsed === undefined) {
        ctx.addIssue({ code: 'custom', message: `"${value}" is not an amount; write 50000, 50k or 1.5M` });
        return z.NEVER;
      }
      return parsed;
    })
    .meta({ description: 'USD amount: 50000, 50k, 1.5M, 2B' });

/**
 * A duration: a string with a unit (`500ms`, `10s`, `5m`, `1h`, `1d`), at most {@link MAX_DURATION_MS}.
 * Output: milliseconds. Bare numbers other than 0 are refused on purpose: `window: 60` is ambiguous
 * (60 ms or 60 s?).
 * @param maxMs A longer limit for a duration that never goes to a timer (`store.retention`, a period).
 */
export const duration = (maxMs = MAX_DURATION_MS) =>
  z
    .union([z.string(), z.number()])
    .transform((value, ctx) => {
      if (typeof value === 'string' && value.length > MAX_UNIT_TEXT_LENGTH) {
        ctx.addIssue({ code: 'custom', message: `${tooLong('a duration')}; write it with a unit: 500ms, 10s, 5m, 1h` });
        return z.NEVER;
      }
      // Zero needs no unit: it means the same in every unit.
      const parsed = value === 0 || value === '0' ? 0 : typeof value === 'string' ? parseDuration(value) : undefined;
      if (parsed === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `${JSON.stringify(value)} is not a duration; write it with a unit: 500ms, 10s, 5m, 1h`,
        });
        return z.NEVER;
      }
      if (!(parsed <= maxMs)) {
        ctx.addIssue({
          code: 'custom',
          message:
            maxMs === MAX_DURATION_MS
              ? `${JSON.stringify(value)} is too long: a duration can be at most ${MAX_DURATION_MS}ms (about 24.8 days, the longest a Node.js timer can wait); write 24d or less`
              : `${JSON.stringify(value)} is too long: at most ${Math.floor(maxMs / 86_400_000)}d`,
        });
        return z.NEVER;
      }
      return parsed;
    })
    .meta({
      description: `Duration with a unit: 500ms, 10s, 5m, 1h, 1d (at most ${Math.floor(maxMs / 86_400_000)}d)`,
      type: 'string',
      pattern: DURATION_RE.source,
      maxLength: MAX_UNIT_TEXT_LENGTH,
    });

const TIME_OF_DAY_RE = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/**
 * A UTC time of day, `HH:MM` (`00:00` to `23:59`; `8:30` is read as `08:30`). Output: `HH:MM`. YAML
 * reads an unquoted `0830` as the number 830: that gets its own fix.
 */
export const timeOfDay = () =>
  z
    .union([z.string(), z.number()])
    .transform((value, ctx) => {
      const match = typeof value === 'string' ? TIME_OF_DAY_RE.exec(value.trim()) : null;
      if (!match) {
        ctx.addIssue({
          code: 'custom',
          message: `${JSON.stringify(value)} is not a time of day; write it as "HH:MM" (UTC, 00:00 to 23:59), e.g. "00:00" or "08:30"`,
        });
        return z.NEVER;
      }
      return `${match[1]!.padStart(2, '0')}:${match[2]!}`;
    })
    .meta({ description: 'UTC time of day, "HH:MM"', type: 'string', pattern: TIME_OF_DAY_RE.source });
