import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimalNumber } from '../../src/util/decimal.js';

const same = (text: string): void => {
  expect(Object.is(decimalNumber(text), Number(text)), JSON.stringify(text)).toBe(true);
};

describe('decimalNumber', () => {
  it('is Number() for exchange-style decimals', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e9, noNaN: true }), fc.integer({ min: 0, max: 12 }), (value, places) => same(value.toFixed(places))),
      { numRuns: 5000 },
    );
    fc.assert(fc.property(fc.stringMatching(/^[0-9]{1,16}(\.[0-9]{1,15})?$/), same), { numRuns: 5000 });
  });

  it('is Number() at the edges of its fast path and outside it', () => {
    for (const text of ['0', '0.0', '00.5', '007', '0.1', '0.3', '999999999999999', '9999999999999999', '9007199254740993', '9007199254740995', '1234567890123457', '99999999.9999999', '0.000000000000001', '1234567890.12345', '12345678901.234567'])
      same(text);
    for (const text of ['', ' ', ' 1', '1 ', '.5', '1.', '1..2', '-1', '+1', '1e5', '1E-5', '0x10', 'Infinity', 'NaN', 'abc', '1,5', '٣']) same(text);
  });

  it('reads a part of a text as Number() reads that part alone', () => {
    fc.assert(
      fc.property(fc.string(), fc.oneof(fc.stringMatching(/^[0-9]{1,17}(\.[0-9]{1,15})?$/), fc.string()), fc.string(), (before, middle, after) => {
        const text = before + middle + after;
        expect(Object.is(decimalNumber(text, before.length, before.length + middle.length), Number(middle))).toBe(true);
      }),
      { numRuns: 5000 },
    );
    expect(decimalNumber('{"T":1750000000123}', 5, 18)).toBe(1750000000123);
  });

  it('is Number() for any string', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('0', '1', '9', '.', '-', 'e', ' ', 'x') }), same), { numRuns: 5000 });
  });
});
