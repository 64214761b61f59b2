/** Types of bench/soak.mjs, for the CI test in e2e/test/soak.test.ts. */
export interface SoakCheck {
  name: string;
  ok: boolean;
  detail: string;
}
/** What one sink's fake recorded (counted by liquidation). */
export interface SoakSinkCounts {
  /** Messages the fake accepted. */
  messages: number;
  /** Liquidations delivered as their own alert. */
  alertsDelivered: number;
  /** Of those, liquidations pushed right around a drop or a resume (may or may not arrive). */
  uncertainDelivered: number;
  digests: number;
  /** Liquidations the delivered digests say they fold. */
  liquidationsInDigests: number;
  /** Requests answered 500 or 429 (each one retried by the outbox). */
  retries: number;
  answered500: number;
  answered429: number;
  /** 429s whose retry-after the sink waited out (Telegram, Discord; the bench fake does not check). */
  honoured429?: number;
  retryAfterViolations?: number;
}
/** One heap probe of the liqmon child (SIGUSR2 with --expose-gc), in MB. */
export interface SoakHeapSample {
  /** Seconds into the run, or `drained` for the sample after every queue emptied. */
  at: number | 'drained';
  rssMB: number;
  /** V8's reserved heap before the GC: live data, garbage not yet collected and room to allocate. */
  heapTotalMB: number;
  heapBeforeGcMB: number;
  heapAfterGcMB: number;
  externalMB: number;
  arrayBuffersMB: number;
}
export interface SoakSummary {
  seconds: number;
  seed: number;
  framesSent: number;
  liquidationsSent: number;
  certain: number;
  uncertain: number;
  notSentWhileDown: number;
  garbageSent: number;
  duplicatesSent: number;
  faults: Record<string, number>;
  reconnects: number;
  /** Per sink: `chat` (bench sink), `telegram`, `discord`. */
  sinks: Record<'chat' | 'telegram' | 'discord', SoakSinkCounts>;
  sinkRetries: number;
  maxRssMB: number;
  rssFirstMB: number;
  rssLastMB: number;
  /** RSS from /proc at the start and every 15 s (every `heapEverySeconds` when shorter). */
  rss: { at: number; rssMB: number }[];
  heap: SoakHeapSample[];
  exit: { code: number | null; signal: string | null };
}
export interface SoakResult {
  summary: SoakSummary;
  checks: SoakCheck[];
  ok: boolean;
  log: string;
}
export function soak(options?: { seconds?: number; seed?: number; rate?: number; heapEverySeconds?: number; say?: (line: string) => void }): Promise<SoakResult>;
