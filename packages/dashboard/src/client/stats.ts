/** The parts of `LiquidationStats` (core, `liqmon stats --json`) the page reads. */
export interface LiquidationStatsView {
  since: number;
  until: number;
  count: number;
  totalUsd: number;
  sides: Record<'long' | 'short', { count: number; totalUsd: number }>;
  groups: { key: string; count: number; totalUsd: number }[];
}
