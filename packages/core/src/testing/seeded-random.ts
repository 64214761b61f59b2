/**
 * A small seeded pseudo-random generator (mulberry32, public domain:
 * https://gist.github.com/tommyettinger/46a874533244883189143505d203312c), for tests and benchmarks
 * that want varied data and the same data on every run: property-style cases, synthetic feeds.
 * Not for anything that must be unpredictable.
 *
 * @returns a function giving numbers in [0, 1), the same sequence for the same seed
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
