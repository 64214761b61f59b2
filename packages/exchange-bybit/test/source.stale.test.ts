/**
 * The `staleAfter` option end to end, in process: the Bybit source against a fake Bybit that goes silent
 * (no frames, no pongs, connections left open), as a dead socket does.
 */
import { FakeBybit, runSource, type SourceHarness } from '@liqmon/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import bybit from '../src/index.js';

describe('Bybit source with a short staleAfter', () => {
  let fake: FakeBybit;
  let run: SourceHarness | undefined;

  beforeEach(async () => {
    fake = await FakeBybit.start({ linear: ['BTCUSDT', 'ETHUSDT'], inverse: ['BTCUSD'] });
  });

  afterEach(async () => {
    await run?.stop();
    run = undefined;
    await fake.close();
  });

  const silentLogs = () => run!.logs.filter((line) => line.msg === 'websocket silent for too long; replacing it');

  it('replaces connections of a silent exchange after staleAfter, resubscribes, and delivers again', async () => {
    run = await runSource(bybit, { wsUrl: fake.wsUrl, restUrl: fake.restUrl, staleAfter: '1s' });
    const connections = fake.server.connections.length;
    expect(connections).toBe(2); // one linear, one inverse

    fake.server.goSilent();
    await run.waitFor(() => silentLogs().length >= 2, { timeout: 5_000, message: 'both connections reported silent' });
    fake.server.resume();
    await run.waitFor(() => fake.subscribedTopics('linear').includes('allLiquidation.BTCUSDT') && fake.server.connections.length >= connections + 2, {
      timeout: 10_000,
    });

    fake.liquidation('linear', 'BTCUSDT', { size: '0.1', price: '60000', time: 1_790_000_000_000 });
    const [event] = await run.waitForEvents(1);
    expect(event).toMatchObject({ symbol: 'BTCUSDT', notionalUsd: 6_000 });
    const replaced = run.instance.health?.().details?.connections as { staleReplacements: number }[];
    expect(replaced.reduce((sum, c) => sum + c.staleReplacements, 0)).toBeGreaterThanOrEqual(2);
  });

  it('keeps quiet connections that answer pings: nothing is replaced while the market is calm', async () => {
    run = await runSource(bybit, { wsUrl: fake.wsUrl, restUrl: fake.restUrl, staleAfter: '1s' });
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(silentLogs()).toEqual([]);
    expect(fake.server.connections).toHaveLength(2);
    // {"op":"ping"} every 333 ms on both connections, not every 20 s: about 9 each in 3 s.
    expect([...fake.pings.values()]).toEqual([expect.any(Number), expect.any(Number)]);
    expect(Math.min(...fake.pings.values())).toBeGreaterThanOrEqual(4);
  });
});
