/** The Bitfinex source against its fake: subscription, the snapshot after it, pings, reconnects. */
import { runSource } from '@liqmon/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import bitfinex from '../src/index.js';
import { FakeBitfinex } from '../src/testing/index.js';

let fake: FakeBitfinex;
const cleanups: (() => Promise<void>)[] = [];

async function start(options: Record<string, unknown> = {}) {
  fake = await FakeBitfinex.start({ heartbeatInterval: 100 });
  const run = await runSource(bitfinex, { wsUrl: fake.wsUrl, ...options }, { name: 'bfx' });
  cleanups.push(() => run.stop(), () => fake.close());
  return run;
}

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('Bitfinex source', () => {
  it('subscribes liq:global on /ws/2, never alerts the snapshot, alerts execution rows at their acquired price', async () => {
    const run = await start();
    expect(fake.server.connections).toEqual(['/ws/2']);
    expect(fake.subscribes).toEqual([{ client: 1, channel: 'status', key: 'liq:global' }]);
    await run.waitFor(() => run.frames.some((frame) => frame.channel === 'liq-snapshot'));
    fake.liquidation({ symbol: 'tETHF0:USTF0', amount: -4, price: 3000, isMatch: 0 }); // the trigger: no alert
    fake.liquidation({ symbol: 'tETHF0:USTF0', amount: -4, price: 3000, basePrice: 2900 });
    const [event] = await run.waitForEvents(1);
    expect(event).toMatchObject({ exchange: 'bitfinex', market: 'linear', symbol: 'tETHF0:USTF0', base: 'ETH', quote: 'USDT', side: 'short', price: 3000, quantity: 4, notionalUsd: 12_000 });
    expect(run.events).toHaveLength(1);
    expect(run.instance.health?.()).toMatchObject({ connected: true, feeds: { 'liq:global': true } });
  });

  it('pings with {"event":"ping"} and swallows the pongs; heartbeats decode to nothing', async () => {
    const run = await start({ staleAfter: '1s' });
    await fake.server.waitFor(() => fake.pings >= 2);
    expect(run.frames.some((frame) => frame.data.includes('"pong"'))).toBe(false);
    await run.waitFor(() => run.frames.some((frame) => frame.data.endsWith(',"hb"]')));
    expect(run.events).toEqual([]);
    expect(run.malformed).toEqual([]);
  });

  it('after a drop, subscribes again and treats the new snapshot as history too', async () => {
    const run = await start();
    await run.waitFor(() => run.frames.some((frame) => frame.channel === 'liq-snapshot'));
    fake.dropAll();
    await fake.server.waitFor(() => fake.subscribedClients === 1 && fake.subscribes.length === 2, { timeout: 10_000 });
    await run.waitFor(() => run.frames.filter((frame) => frame.channel === 'liq-snapshot').length === 2);
    fake.liquidation({ symbol: 'tBTCUSD', amount: 0.5, price: 60_000 });
    expect((await run.waitForEvents(1))[0]).toMatchObject({ symbol: 'tBTCUSD', side: 'long', quote: 'USD', notionalUsd: 30_000 });
    expect(run.events).toHaveLength(1);
  });
});
