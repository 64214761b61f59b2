import { describe, expect, it } from 'vitest';
import { semiSpaceSizeSet } from '../src/memory-hint.js';

describe('semiSpaceSizeSet', () => {
  it('finds the option however node was given it', () => {
    expect(semiSpaceSizeSet(['--max-semi-space-size=1'], '')).toBe(true);
    expect(semiSpaceSizeSet(['--max_semi_space_size=4'], '')).toBe(true);
    expect(semiSpaceSizeSet(['--max-semi-space-size', '1'], '')).toBe(true);
    expect(semiSpaceSizeSet([], '--enable-source-maps  --max-semi-space-size=1')).toBe(true);
  });

  it('is false without it, and not fooled by look-alikes', () => {
    expect(semiSpaceSizeSet([], '')).toBe(false);
    expect(semiSpaceSizeSet(['--max-old-space-size=200', '--expose-gc'], '--enable-source-maps')).toBe(false);
    expect(semiSpaceSizeSet(['--max-semi-space-sizes=1'], '--min-semi-space-size=1')).toBe(false);
  });
});
