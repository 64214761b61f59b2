/**
 * The short CI setting of `npm run soak` (bench/soak.mjs): 20 s of faults against the built
 * `liqmon start`, with a fixed seed. Every fault type happens once (drops, silence, garbage,
 * duplicates, sink 500 and 429), then the counts are checked: nothing crashes, nothing is delivered
 * twice or out of nowhere, and every liquidation sent while a connection was up is delivered alone or
 * in a digest. Only counts are asserted, never timings; waits are generous.
 */
import { describe, expect, it } from 'vitest';
import { soak } from '../../bench/soak.mjs';

describe('soak (short CI setting)', () => {
  it('survives drops, silence, garbage, duplicates and sink 500/429, delivering every liquidation exactly once', async () => {
    const result = await soak({ seconds: 20, seed: 1, say: () => undefined, rssLimitMB: 300 });
    const failed = result.checks.filter((c) => !c.ok);
    expect(failed, `${JSON.stringify(failed)}\n${JSON.stringify(result.summary)}\n${result.log.split('\n').slice(-30).join('\n')}`).toEqual([]);
    const s = result.summary;
    expect(s.faults).toMatchObject({ dropBinance: 1, dropBybit: 1, silentBinance: 1, garbage: 1, sink500: 1, sink429: 1 });
    expect(s.liquidationsSent).toBeGreaterThan(1_000);
    expect(s.reconnects).toBeGreaterThanOrEqual(3); // two Binance feeds and Bybit's after drops and silence
    expect(s.answered500).toBeGreaterThan(0);
    expect(s.answered429).toBeGreaterThan(0);
    expect(s.alertsDelivered + s.liquidationsInDigests).toBeGreaterThanOrEqual(s.certain);
  }, 150_000);
});
