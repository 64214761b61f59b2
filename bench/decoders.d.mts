/** Types of bench/decoders.mjs, for the check in e2e/test/bench-decoders.test.ts. */
export interface DecoderVenueResult {
  venue: string;
  frames: number;
  /** Golden frames the mix was replicated from, of all golden frames of the package. */
  baseFrames: number;
  goldenFrames: number;
  rounds: number;
  /** What the rounds were timed with: the wall clock, or the process's CPU time (`process.cpuUsage`). */
  clock: 'wall' | 'cpu';
  jsonParseFps: number;
  liqmonFps: number;
  liqmonEvents: number;
  liqmonRoundFps: number[];
  /** tardis-dev exchange ids used; empty when tardis-dev does not map the venue. */
  tardisExchanges: string[];
  tardisFps?: number;
  tardisEvents?: number;
  tardisRoundFps?: number[];
  /** liqmon frames/s over tardis-dev's: the median of the rounds' own ratios. */
  ratio?: number;
  ratioOfMedians?: number;
  goal?: string;
  pass?: boolean;
}
export interface DecoderBenchResult {
  venues: DecoderVenueResult[];
  /** Venues whose liquidations tardis-dev does not map. */
  notMappedByTardis: string[];
}
export function decoders(options?: { frames?: number; rounds?: number; venues?: Set<string>; clock?: 'wall' | 'cpu' }): Promise<DecoderBenchResult>;
export function decoderRows(result: DecoderBenchResult): Record<string, string | number>[];
