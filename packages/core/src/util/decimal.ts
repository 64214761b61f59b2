/**
 * `decimalNumber(text)`: `Number(text)`, faster for the decimal strings exchanges send sizes and prices
 * in ("0.014", "60123.50"). Two of them in every liquidation, and `Number()` on a string is a call into
 * the runtime that cost ~45 ns here, against ~16 ns for this loop.
 *
 * Exact, not approximate: a plain decimal of at most 15 digits is an integer s < 10^15 < 2^53 (exact
 * in a double) over 10^k with k ≤ 15 (exact too), and IEEE division rounds correctly, so s / 10^k is
 * the double nearest the decimal's value, which is what `Number()` returns (the fast path of Clinger's
 * algorithm). Anything else (a sign, an exponent, spaces, more digits, "", ".5", "1.") goes to `Number()`.
 */

/** Powers of ten that are exact doubles. */
const POWERS_OF_TEN = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/** Most digits whose integer is exact in a double (10^15 < 2^53). */
const MAX_DIGITS = 15;

const ZERO = 0x30;
const DOT = 0x2e;

/** `Number(text)`, the same value for every string; see the module comment. */
export function decimalNumber(text: string): number {
  const length = text.length;
  if (length === 0 || length > MAX_DIGITS + 1) return Number(text);
  let digits = 0;
  let fraction = -1; // digits after the dot, once one is seen
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code === DOT) {
      if (fraction >= 0 || i === 0 || i === length - 1) return Number(text);
      fraction = 0;
      continue;
    }
    const digit = code - ZERO;
    if (digit < 0 || digit > 9) return Number(text);
    digits = digits * 10 + digit;
    if (fraction >= 0) fraction++;
  }
  if (fraction < 0) return length > MAX_DIGITS ? Number(text) : digits; // 16 digits and no dot: not always exact
  return digits / POWERS_OF_TEN[fraction]!;
}
