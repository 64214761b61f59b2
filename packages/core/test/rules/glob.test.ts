import fc from 'fast-check';
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { compileGlob, isGlob } from '../../src/rules/glob.js';
import { compileMatch } from '../../src/rules/match.js';
import { liq } from './liquidations.js';

/** What the rules did before: picomatch, case-insensitive, dots allowed. */
const reference = (pattern: string) => picomatch(pattern, { nocase: true, dot: true });

describe('symbol globs', () => {
  it('matches as picomatch does on generated patterns and symbols', () => {
    // A small alphabet makes matches frequent; the glob syntax the docs promise is mixed in.
    const symbolChar = fc.constantFrom('A', 'b', 'U', 's', 'D', 'T', '1', '0', '_', '-', '.');
    // Not a literal `.` in patterns: picomatch reads `*.*` as a file name with an extension.
    const patternChar = fc.constantFrom('A', 'b', 'U', 's', 'D', 'T', '1', '0', '_', '-');
    const patternPart = fc.oneof(
      { weight: 5, arbitrary: patternChar },
      { weight: 3, arbitrary: fc.constant('*') },
      { weight: 1, arbitrary: fc.constant('**') },
      { weight: 2, arbitrary: fc.constant('?') },
      { weight: 1, arbitrary: fc.constantFrom('[ab]', '[A-D]', '[a-d]', '[^A]', '[^0-9]', '[_.]', '[T-U]') },
    );
    const pattern = fc.array(patternPart, { minLength: 1, maxLength: 10 }).map((parts) => parts.join('').replace(/\*{3,}/g, '**')); // picomatch stops escaping `.` after `***`
    const symbol = fc.array(symbolChar, { minLength: 1, maxLength: 14 }).map((chars) => chars.join(''))
      // picomatch never matches the path segments `.` and `..`, which are no symbols anyway.
      .filter((s) => s !== '.' && s !== '..');
    fc.assert(
      fc.property(pattern, fc.array(symbol, { minLength: 1, maxLength: 20 }), (glob, symbols) => {
        const ours = compileGlob(glob);
        const theirs = reference(glob);
        for (const s of symbols) expect([glob, s, ours(s)]).toEqual([glob, s, theirs(s)]);
      }),
      { numRuns: 3000 },
    );
  });

  it('matches the documented examples, in any case', () => {
    const cases: [string, string, boolean][] = [
      ['*USDT', 'ETHUSDT', true],
      ['*usdt', 'ETHUSDT', true],
      ['*USDT', 'BTCUSD_PERP', false],
      ['1000*', '1000PEPEUSDT', true],
      ['BTCUSDT_*', 'BTCUSDT_251226', true],
      ['BTCUSDT_*', 'BTCUSDT', false],
      ['*USDT', '币安人生USDT', true],
      ['?TCUSDT', 'BTCUSDT', true],
      ['BTC/*', 'BTC/USDT', true],
      ['*USDT', 'BTC/USDT', false], // `*` does not cross a `/`
      ['**USDT', 'BTC/USDT', true], // `**` does
      ['[BE]TH*', 'ETHUSDT', true],
      ['[!B]TH*', 'ETHUSDT', true], // negated as in a shell (picomatch reads `[!B]` as "! or B")
      ['[!E]TH*', 'ETHUSDT', false],
      ['\\*USDT', '*USDT', true],
      ['\\*USDT', 'XUSDT', false],
      ['{BTC,ETH}USDT', 'BTCUSDT', false], // braces are literal: list the symbols instead
    ];
    for (const [glob, symbol, expected] of cases) expect([glob, symbol, compileGlob(glob)(symbol)]).toEqual([glob, symbol, expected]);
  });

  it('tells globs from exact symbols', () => {
    expect(['*USDT', 'BTC?', '[AB]X', 'BTCUSDT', '1000PEPEUSDT', 'BTC[', '\\*'].map(isGlob)).toEqual([true, true, true, false, false, false, false]);
  });

  it('finishes a hostile pattern against a long symbol (once took 33 s)', () => {
    const match = compileMatch({ symbol: ['*A*A*A*A*USDT', '*A*A*A*A*A*A*A*A*A*A*A*A*A*B'] });
    const symbol = 'A'.repeat(256);
    expect(match(liq({ symbol }))).toBe(false);
    expect(compileGlob('*A*A*A*A*USDT')('A'.repeat(100_000))).toBe(false);
    expect(compileGlob('*A*A*A*A*USDT')(`${'A'.repeat(100_000)}USDT`)).toBe(true);
  });
});
