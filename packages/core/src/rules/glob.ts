/**
 * Symbol globs that match in time linear in the symbol's length, whatever the pattern. Symbols come
 * from exchange frames (untrusted), and a backtracking matcher (a regular expression built from the
 * glob) took 33 s for `*A*A*A*A*USDT` against a 256-character symbol, blocking the event loop.
 *
 * The pattern compiles to a list of steps, and matching simulates every position of the pattern at
 * once (a set of live positions, advanced one character of the symbol at a time): O(symbol x pattern)
 * steps at worst, no backtracking, no recursion.
 *
 * Syntax (the subset of picomatch that the docs promise, with its meaning, except that `[!a]` is a
 * negated class as in every shell; picomatch reads it as `!` or `a`):
 *  - `*` any run of characters except `/`; `**` any run including `/`;
 *  - `?` one character except `/`;
 *  - `[abc]`, `[a-z]`, `[!a-z]` or `[^a-z]` one character of (or, but never `/`, not of) a class;
 *  - `\x` the character `x` itself. Everything else, braces included, is literal.
 * Letters compare case-insensitively.
 */

type Step =
  | { readonly kind: 'char'; readonly char: string }
  | { readonly kind: 'one' }
  | { readonly kind: 'class'; readonly negated: boolean; readonly ranges: readonly (readonly [string, string])[] }
  | { readonly kind: 'star'; readonly crossesSlash: boolean };

/** True when `pattern` uses glob syntax (otherwise it is an exact symbol). */
export function isGlob(pattern: string): boolean {
  return compileSteps(pattern).some((step) => step.kind !== 'char');
}

/** Compile a glob to a case-insensitive test of one symbol. */
export function compileGlob(pattern: string): (symbol: string) => boolean {
  const steps = compileSteps(pattern);
  const size = steps.length + 1;
  // Two reusable sets of live positions: matching allocates nothing.
  let live = new Uint8Array(size);
  let next = new Uint8Array(size);

  /** Mark position `i` live, and every position a run of stars there can skip to. */
  const enter = (set: Uint8Array, from: number): void => {
    let i = from;
    set[i] = 1;
    while (i < steps.length && steps[i]!.kind === 'star') set[++i] = 1;
  };

  return (symbol) => {
    live.fill(0);
    enter(live, 0);
    for (const raw of symbol) {
      const char = fold(raw);
      const lower = raw.toLowerCase();
      next.fill(0);
      let any = false;
      for (let i = 0; i < steps.length; i++) {
        if (live[i] === 0) continue;
        const step = steps[i]!;
        if (step.kind === 'star') {
          if (step.crossesSlash || char !== '/') {
            enter(next, i);
            any = true;
          }
        } else if (accepts(step, char, lower)) {
          enter(next, i + 1);
          any = true;
        }
      }
      if (!any) return false;
      [live, next] = [next, live];
    }
    return live[steps.length] === 1;
  };
}

/** Does one step take the character (`char` folded to upper case, `lower` its lower case)? */
function accepts(step: Exclude<Step, { kind: 'star' }>, char: string, lower: string): boolean {
  switch (step.kind) {
    case 'char':
      return step.char === char;
    case 'one':
      return char !== '/';
    case 'class': {
      if (step.negated && char === '/') return false;
      // Ranges keep the pattern's case; either case of the character may fall in one (`[a-z]` takes `Q`).
      let inside = false;
      for (const [low, high] of step.ranges) if ((char >= low && char <= high) || (lower >= low && lower <= high)) inside = true;
      return inside !== step.negated;
    }
  }
}

/** Case folding of one character (a code point): what both the pattern and the symbol compare as. */
function fold(char: string): string {
  return char.toUpperCase().length === char.length ? char.toUpperCase() : char;
}

function compileSteps(pattern: string): Step[] {
  const chars = [...pattern];
  const steps: Step[] = [];
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i]!;
    if (char === '\\' && i + 1 < chars.length) {
      steps.push({ kind: 'char', char: fold(chars[++i]!) });
    } else if (char === '*') {
      let crossesSlash = false;
      while (chars[i + 1] === '*') {
        crossesSlash = true;
        i++;
      }
      const last = steps.at(-1);
      // Adjacent stars are one star: fewer positions to track, same language.
      if (last?.kind === 'star') steps[steps.length - 1] = { kind: 'star', crossesSlash: crossesSlash || last.crossesSlash };
      else steps.push({ kind: 'star', crossesSlash });
    } else if (char === '?') {
      steps.push({ kind: 'one' });
    } else if (char === '[') {
      const parsed = parseClass(chars, i);
      if (parsed) {
        steps.push(parsed.step);
        i = parsed.end;
      } else {
        steps.push({ kind: 'char', char });
      }
    } else {
      steps.push({ kind: 'char', char: fold(char) });
    }
  }
  return steps;
}

/** `[...]` starting at `start`; undefined when it is not closed (then `[` is literal). */
function parseClass(chars: readonly string[], start: number): { step: Step; end: number } | undefined {
  let i = start + 1;
  const negated = chars[i] === '!' || chars[i] === '^';
  if (negated) i++;
  const ranges: [string, string][] = [];
  let first = true;
  for (; i < chars.length; i++) {
    let char = chars[i]!;
    if (char === ']' && !first) return { step: { kind: 'class', negated, ranges }, end: i };
    first = false;
    if (char === '\\' && i + 1 < chars.length) char = chars[++i]!;
    if (chars[i + 1] === '-' && i + 2 < chars.length && chars[i + 2] !== ']') {
      let high = chars[i + 2]!;
      i += 2;
      if (high === '\\' && i + 1 < chars.length) high = chars[++i]!;
      ranges.push([char, high]);
    } else {
      ranges.push([char, char]);
    }
  }
  return undefined;
}

