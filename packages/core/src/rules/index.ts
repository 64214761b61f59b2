/** The rule chain: matching, thresholds, cascades, cooldowns and dedupe. */
export { RuleEngine } from './engine.js';
export type { RuleCounters, RuleEngineOptions, RuleStats } from './types.js';
export { compileMatch, type EventPredicate } from './match.js';
