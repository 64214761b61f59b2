import { describe, expect, it } from 'vitest';
import { Dedupe } from '../../src/rules/dedupe.js';
import { encodeId, type EncodedId } from '../../src/rules/id-table.js';

const encode = (id: string): EncodedId => encodeId(id, { id: '', hash: 0, length: 0, wide: false });

/** Two different ids with the same 32-bit hash (a birthday search finds one within ~200k ids). */
function collidingPair(): [string, string] {
  const seen = new Map<number, string>();
  for (let i = 0; ; i++) {
    const id = `binance:usdm:BTCUSDT:${1_750_000_000_000 + i}:SELL:0.010:60000.00`;
    const hash = encode(id).hash;
    const other = seen.get(hash);
    if (other !== undefined) return [other, id];
    seen.set(hash, id);
  }
}

describe('dedupe ids kept as bytes', () => {
  it('tells apart two ids whose hashes collide, in either order', () => {
    const [a, b] = collidingPair();
    const dedupe = new Dedupe(60_000);
    expect(dedupe.isDuplicate(a, 0)).toBe(false);
    expect(dedupe.isDuplicate(b, 1)).toBe(false);
    expect(dedupe.isDuplicate(a, 2)).toBe(true);
    expect(dedupe.isDuplicate(b, 3)).toBe(true);
    expect(dedupe.size).toBe(2);
  });

  it('handles non-ASCII, empty and very long ids exactly', () => {
    const dedupe = new Dedupe(60_000);
    const long = 'x'.repeat(5000);
    for (const id of ['币安人生USDT', '', long, `${long}y`, 'a']) expect(dedupe.isDuplicate(id, 0)).toBe(false);
    for (const id of ['币安人生USDT', '', long, `${long}y`, 'a']) expect(dedupe.isDuplicate(id, 1)).toBe(true);
    expect(dedupe.isDuplicate('币安人生USDC', 2)).toBe(false);
  });

  it('keeps every id of a large window exact as its tables grow', () => {
    const dedupe = new Dedupe(60_000, 40_000);
    for (let i = 0; i < 15_000; i++) expect(dedupe.isDuplicate(`bybit:linear:COIN${i % 40}USDT:${i}`, 0)).toBe(false);
    for (let i = 0; i < 15_000; i++) expect(dedupe.isDuplicate(`bybit:linear:COIN${i % 40}USDT:${i}`, 1)).toBe(true);
  });

  it('reuses a dropped generation without keeping its ids', () => {
    // A cap of 4 rotates whenever the current generation holds 2 ids.
    const dedupe = new Dedupe(60_000, 4);
    for (const id of ['a', 'b', 'c', 'd', 'e']) expect(dedupe.isDuplicate(id, 0)).toBe(false);
    // Generations now: previous {c, d}, current {e} (the memory that held {a, b}).
    expect(dedupe.isDuplicate('c', 1)).toBe(true);
    expect(dedupe.isDuplicate('e', 1)).toBe(true);
    expect(dedupe.isDuplicate('a', 1)).toBe(false);
  });

  it('forgets both generations after a quiet spell of two windows', () => {
    const dedupe = new Dedupe(1_000);
    expect(dedupe.isDuplicate('a', 0)).toBe(false);
    expect(dedupe.isDuplicate('b', 900)).toBe(false);
    expect(dedupe.isDuplicate('b', 1_800)).toBe(true); // rotated at 1,000; b was seen 900 ms ago
    expect(dedupe.isDuplicate('c', 5_000)).toBe(false);
    expect(dedupe.size).toBe(1);
  });
});
