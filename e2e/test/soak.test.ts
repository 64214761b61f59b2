/**
 * The short CI setting of `npm run soak` (bench/soak.mjs): 22 s of faults against the built
 * `liqmon start`, with a fixed seed. Every fault type happens once (drops, Binance and Bybit silence,
 * garbage, duplicates, sink 500 and 429), while every alert goes to three sinks: the bench sink, the
 * real Telegram sink on FakeTelegram and the real Discord sink on FakeDiscord. Then the counts are
 * checked per sink: nothing crashes, nothing is delivered twice or out of nowhere, every liquidation sent
 * while a connection was up is delivered alone or in a digest, every 429's retry-after is honoured, and
 * the heap after GC does not grow. Only counts are asserted, never timings; waits are generous.
 */
import { describe, expect, it } from 'vitest';
import { soak } from '../../bench/soak.mjs';

describe('soak (short CI setting)', () => {
  it('survives drops, silence, garbage, duplicates and sink 500/429, delivering every liquidation exactly once to each sink', async () => {
    const result = await soak({ seconds: 22, seed: 1, heapEverySeconds: 5, say: () => undefined });
    const failed = result.checks.filter((c) => !c.ok);
    expect(failed, `${JSON.stringify(failed)}\n${JSON.stringify(result.summary)}\n${result.log.split('\n').slice(-30).join('\n')}`).toEqual([]);
    const s = result.summary;
    expect(s.faults).toEqual({ dropBinance: 1, silentBybit: 1, garbage: 1, sink500: 1, silentBinance: 1, duplicates: 1, sink429: 1, dropBybit: 1 });
    expect(s.liquidationsSent).toBeGreaterThan(1_000);
    // Two Binance feeds after the drop and after the silence, two Bybit ones after the silence and the drop.
    expect(s.reconnects).toBeGreaterThanOrEqual(8);
    for (const [name, sink] of Object.entries(s.sinks)) {
      expect(sink.alertsDelivered, name).toBeGreaterThan(1_000);
      expect(sink.alertsDelivered + sink.liquidationsInDigests, name).toBeGreaterThanOrEqual(s.certain);
      expect(sink.answered500, name).toBeGreaterThan(0);
      expect(sink.answered429, name).toBeGreaterThan(0);
    }
    expect(s.sinks.telegram.honoured429).toBe(s.sinks.telegram.answered429);
    expect(s.sinks.discord.honoured429).toBe(s.sinks.discord.answered429);
    expect(s.heap.filter((sample) => sample.at !== 'drained').length).toBeGreaterThanOrEqual(3);
  }, 150_000);
});
