/**
 * Number and time text for alerts: compact USD (`$52.3K`, `$1.25M`), prices at a precision that suits
 * their size (`64,250.1`, `0.0000123`, never exponent notation), UTC times and short durations.
 */

const UNITS = [
  { size: 1e12, suffix: 'T' },
  { size: 1e9, suffix: 'B' },
  { size: 1e6, suffix: 'M' },
  { size: 1e3, suffix: 'K' },
] as const;

/** Drop trailing zeros of a fixed-point string: `1.20` -> `1.2`, `3.00` -> `3`. */
function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** Insert thousands separators into the integer part of a plain decimal string. */
function group(text: string): string {
  const dot = text.indexOf('.');
  const int = dot === -1 ? text : text.slice(0, dot);
  const rest = dot === -1 ? '' : text.slice(dot);
  return int.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + rest;
}

/** Three significant digits with a K/M/B/T suffix, without the `$`: `52.3K`, `1.25M`, `980`. */
export function compactNumber(value: number): string {
  if (!Number.isFinite(value)) return '?';
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  if (Math.round(abs) < 1000) return sign + (abs >= 1 || abs === 0 ? String(Math.round(abs)) : trimZeros(abs.toFixed(2)));
  for (let i = UNITS.length - 1; i >= 0; i--) {
    const unit = UNITS[i]!;
    const next = UNITS[i - 1];
    const scaled = abs / unit.size;
    if (next && scaled >= 999.5) continue; // 999,950 reads better as 1M than 1000K
    const digits = scaled >= 100 ? 0 : scaled >= 10 ? 1 : 2;
    const text = scaled.toFixed(digits);
    if (next && Number(text) >= 1000) continue;
    return sign + trimZeros(text) + unit.suffix;
  }
  return sign + String(Math.round(abs));
}

/** Compact USD: `$980`, `$52.3K`, `$1.25M`, `$2.1B`. */
export function formatUsd(value: number): string {
  const text = compactNumber(value);
  return text.startsWith('-') ? `-$${text.slice(1)}` : `$${text}`;
}

/**
 * A price with six significant digits at or above 1 (`64,250.1`, `3,450.55`, `1.23456`) and five
 * below 1 (`0.45671`, `0.0000123`), trailing zeros dropped, never in exponent notation.
 */
export function formatPrice(value: number): string {
  if (!Number.isFinite(value)) return '?';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  const magnitude = Math.floor(Math.log10(abs));
  const significant = abs >= 1 ? 6 : 5;
  const decimals = Math.min(20, Math.max(0, significant - 1 - magnitude));
  // toFixed never uses exponent notation below 1e21, the largest value a price can sensibly have.
  const text = trimZeros(abs.toFixed(decimals));
  return (value < 0 ? '-' : '') + group(text);
}

/** A quantity: like a price below 100,000, compact above (`12.3M`). */
export function formatQuantity(value: number): string {
  return Math.abs(value) >= 100_000 ? compactNumber(value) : formatPrice(value);
}

/** A count with thousands separators. */
export function formatCount(value: number): string {
  return group(String(Math.round(value)));
}

/** `12:34:56` (UTC), or `2024-06-01 12:34:56` with the date. */
export function formatUtc(ms: number, withDate = false): string {
  if (!Number.isFinite(ms)) return '?';
  const iso = new Date(ms).toISOString(); // 2024-06-01T12:34:56.789Z
  return withDate ? `${iso.slice(0, 10)} ${iso.slice(11, 19)}` : iso.slice(11, 19);
}

/** `12:34:56 UTC`, or `12:30:01–12:30:58 UTC` for a span. */
export function formatUtcSpan(from: number, to: number, withDate = false): string {
  const start = formatUtc(from, withDate);
  if (formatUtc(to, true) === formatUtc(from, true)) return `${start} UTC`;
  const sameDay = formatUtc(from, true).slice(0, 10) === formatUtc(to, true).slice(0, 10);
  return `${start}–${formatUtc(to, withDate || !sameDay)} UTC`;
}

/** A short duration: `800ms`, `45s`, `5m`, `1m30s`, `2h`, `1h15m`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) {
    const m = Math.floor(seconds / 60);
    const s = seconds % 60;
    return s ? `${m}m${s}s` : `${m}m`;
  }
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  return m ? `${h}h${m}m` : `${h}h`;
}

/** Skull settings: the validated `format.skull` (`large` optional for callers that want one tier). */
export interface SkullOptions {
  emoji: string;
  step: number;
  max: number;
  large?: { emoji: string; step: number; max: number };
}

/**
 * One `emoji` per `step` USD, at most `max`. With `large`, amounts from `large.step` on show one
 * `large.emoji` per `large.step` (at most `large.max`) and then the skulls of the rest, so $1.4M reads
 * ☠️💀💀💀💀 and $8.35M ☠️×8 💀×3; once the large ones are capped, the small ones would mislead and
 * are left out.
 */
export function skulls(usd: number, options: SkullOptions): string {
  if (!Number.isFinite(usd)) return '';
  const large = options.large;
  if (large && large.max > 0 && large.step > 0 && usd >= large.step) {
    const whole = Math.floor(usd / large.step);
    if (whole > large.max) return large.emoji.repeat(large.max);
    return large.emoji.repeat(whole) + small(usd - whole * large.step, options);
  }
  return small(usd, options);
}

function small(usd: number, options: SkullOptions): string {
  if (options.max <= 0 || options.step <= 0) return '';
  return options.emoji.repeat(Math.min(options.max, Math.floor(usd / options.step)));
}
