/** Types of bench/soak.mjs, for the CI test in e2e/test/soak.test.ts. */
export interface SoakCheck {
  name: string;
  ok: boolean;
  detail: string;
}
export interface SoakSummary {
  seconds: number;
  seed: number;
  framesSent: number;
  liquidationsSent: number;
  certain: number;
  uncertain: number;
  uncertainDelivered: number;
  notSentWhileDown: number;
  garbageSent: number;
  duplicatesSent: number;
  faults: Record<string, number>;
  alertsDelivered: number;
  messagesDelivered: number;
  digests: number;
  liquidationsInDigests: number;
  reconnects: number;
  sinkRetries: number;
  answered500: number;
  answered429: number;
  maxRssMB: number;
  rssFirstMB: number;
  rssLastMB: number;
  exit: { code: number | null; signal: string | null };
}
export interface SoakResult {
  summary: SoakSummary;
  checks: SoakCheck[];
  ok: boolean;
  log: string;
}
export function soak(options?: { seconds?: number; seed?: number; rate?: number; say?: (line: string) => void; rssLimitMB?: number }): Promise<SoakResult>;
