/** Statistics of a period computed in memory (summary alerts; the store computes the same with SQL). */
export { computeStats, MAX_STATS_KEYS, OTHER_KEY, StatsAccumulator } from './accumulator.js';
export { EXACT_SIZES_CAP } from './sizes.js';
