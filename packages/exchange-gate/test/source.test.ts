/**
 * The Gate source against the fake Gate: what it subscribes, what a user gets out of a pushed
 * liquidation, refusals, paging of the contract list, new listings, offline reference data.
 */
import { SourceUnreachableError, UnknownInstrumentError, type RawFrame } from '@liqmon/core';
import { createSourceHarness, runSource, type SourceHarness } from '@liqmon/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import gate from '../src/index.js';
import { FakeGate, type FakeGateContract } from '../src/testing/index.js';

let fake: FakeGate | undefined;
let run: SourceHarness | undefined;
afterEach(async () => {
  await run?.stop();
  await fake?.close();
  run = fake = undefined;
});

const options = (f: FakeGate, extra: Record<string, unknown> = {}) => ({ wsUrl: f.wsUrl, restUrl: f.restUrl, ...extra });
const contract = (name: string, multiplier: string): FakeGateContract => ({ name, type: 'direct', quanto_multiplier: multiplier });

/** Push until the source has `count` events (the subscribe may still be on its way). */
async function pushUntil(f: FakeGate, r: SourceHarness, count: number, push: () => void): Promise<void> {
  await r.waitFor(() => {
    if (r.events.length < count) push();
    return r.events.length >= count;
  });
}

describe('Gate source against the fake Gate', () => {
  it('subscribes !all on the USDT and BTC streams with decimal sizes, and a negative size alerts as a long liquidation', async () => {
    fake = await FakeGate.start();
    run = await runSource(gate, options(fake), { name: 'gate-test' });
    await fake.server.waitFor(() => fake!.requests.length === 2);
    expect(fake.requests.map((r) => `${r.settle} ${r.channel} ${r.event} ${r.payload.join()}`).sort()).toEqual([
      'btc futures.public_liquidates subscribe !all',
      'usdt futures.public_liquidates subscribe !all',
    ]);
    expect([...fake.server.clients].map((c) => c.headers['x-gate-size-decimal'])).toEqual(['1', '1']);

    const f = fake;
    await pushUntil(f, run, 1, () => f.liquidation('ETH_USDT', { size: '-2.5', price: '3000', time: 1_796_000_000_000 }));
    expect(run.events[0]).toMatchObject({ exchange: 'gate', market: 'linear', symbol: 'ETH_USDT', side: 'long', quantity: 0.025, notionalUsd: 75, priceKind: 'order', sampled: true, source: 'gate-test' });
    await pushUntil(f, run, 2, () => f.liquidation('BTC_USD', { size: '300', price: '60000', time: 1_796_000_000_001, shape: 'object' }));
    expect(run.events[1]).toMatchObject({ market: 'inverse', symbol: 'BTC_USD', side: 'short', notionalUsd: 300, quantity: 0.005 });
    expect(run.instance.health?.()).toMatchObject({ connected: true, feeds: { linear: true, inverse: true } });
  });

  it('subscribes only the configured contracts, each on the stream of its settle currency', async () => {
    fake = await FakeGate.start();
    run = await runSource(gate, options(fake, { symbols: ['BTC_USDT', 'ETH_USDT'] }));
    await fake.server.waitFor(() => fake!.requests.length === 1);
    expect(fake.requests.map((r) => `${r.settle} ${r.payload.join()}`)).toEqual(['usdt BTC_USDT,ETH_USDT']);
    expect(fake.server.connections).toEqual(['/v4/ws/usdt']);
  });

  it('logs a refused subscription with Gate\'s reason and reports it in health', async () => {
    fake = await FakeGate.start({ rejectPayloads: ['!all'] });
    run = await runSource(gate, options(fake, { markets: ['linear'] }));
    await run.waitFor(() => run!.logs.some((line) => String(line.msg).includes('Gate refused the linear liquidation subscription: invalid contract !all')));
    expect(run.instance.health?.()).toMatchObject({ connected: false, problem: 'subscription refused: invalid contract !all' });
  });

  it('resubscribes after the venue drops the connection', async () => {
    fake = await FakeGate.start();
    run = await runSource(gate, options(fake, { markets: ['linear'] }));
    await fake.server.waitFor(() => fake!.requests.length === 1);
    fake.dropAll();
    await fake.server.waitFor(() => fake!.requests.length === 2 && fake!.subscriptions('usdt').length === 1);
    const f = fake;
    await pushUntil(f, run, 1, () => f.liquidation('BTC_USDT', { size: '10', price: '60000' }));
    expect(run.events[0]).toMatchObject({ side: 'short', notionalUsd: 60 });
  });

  it('reads every page of the contract list', async () => {
    const many = Array.from({ length: 7 }, (_, i) => contract(`C${i}_USDT`, String(i + 1)));
    fake = await FakeGate.start({ pageSize: 3, contracts: { usdt: many } });
    const harness = createSourceHarness(gate, options(fake, { markets: ['linear'] }));
    await harness.prepare();
    await harness.stop();
    const last = harness.instance.decode(frame('linear', { contract: 'C6_USDT', price: '2', time: 1_796_000_000_000, size: '-1' }));
    expect(last[0]).toMatchObject({ quantity: 7, notionalUsd: 14 });
    expect(fake.server.restRequests.filter((path) => path.startsWith('/api/v4/futures/usdt/contracts'))).toHaveLength(4);
  });

  it('throws UnknownInstrumentError for a new listing, and decodes it after refresh()', async () => {
    fake = await FakeGate.start();
    const harness = createSourceHarness(gate, options(fake));
    await harness.prepare();
    const listing = frame('linear', { contract: 'NEW_USDT', price: '1.5', time: 1_796_000_000_000, size: '-10' });
    expect(() => harness.instance.decode(listing)).toThrow(UnknownInstrumentError);
    fake.setContracts('usdt', [contract('NEW_USDT', '100')]);
    await harness.instance.refresh?.();
    expect(harness.instance.decode(listing)[0]).toMatchObject({ symbol: 'NEW_USDT', quantity: 1000, notionalUsd: 1500 });
    // The old contracts stay known: a late frame of a delisted contract is still priced.
    expect(harness.instance.decode(frame('linear', { contract: 'BTC_USDT', price: '60000', time: 1_796_000_000_000, size: '-1' }))).toHaveLength(1);
    await harness.stop();
  });

  it('hands its contract list back through reference(), and prepare(reference) decodes the same with no request', async () => {
    fake = await FakeGate.start();
    const live = createSourceHarness(gate, options(fake));
    await live.prepare();
    const reference = JSON.parse(JSON.stringify(live.instance.reference?.())) as unknown;
    await live.stop();
    const requests = fake.server.restRequests.length;
    const offline = createSourceHarness(gate, options(fake));
    await offline.instance.prepare?.(reference);
    await offline.stop();
    expect(fake.server.restRequests).toHaveLength(requests);
    const liquidation = frame('inverse', { contract: 'BTC_USD', price: '50000', time: 1_796_000_000_000, size: '-100' });
    expect(offline.instance.decode(liquidation)).toEqual(live.instance.decode(liquidation));
  });

  it('refuses to start while no contract list can be had, with a retryable error naming the host', async () => {
    fake = await FakeGate.start();
    fake.server.setRest('/api/v4/futures/usdt/contracts', { status: 503, body: { label: 'SERVER_ERROR' } });
    fake.server.setRest('/api/v4/futures/btc/contracts', { status: 503, body: { label: 'SERVER_ERROR' } });
    await expect(runSource(gate, options(fake))).rejects.toThrow(SourceUnreachableError);
    expect(fake.server.connections).toEqual([]);
  });
});

function frame(channel: string, item: Record<string, unknown>): RawFrame {
  return { channel, receivedAt: 1_796_000_000_100, data: JSON.stringify({ channel: 'futures.public_liquidates', event: 'update', result: [item] }) };
}
