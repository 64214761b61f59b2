/**
 * The NATS source against a real nats-server with JetStream: it consumes what the sink publishes,
 * resumes from its durable consumer after a restart, survives a server restart, and skips (and
 * acknowledges) hostile messages without stopping.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Liquidation } from '@liqmon/core';
import { createSinkHarness, runSource, sampleAlert, sampleLiquidation, type SourceHarness } from '@liqmon/core/testing';
import natsSink from '@liqmon/sink-nats';
import { startNatsServer, type NatsServer } from '@liqmon/sink-nats/testing';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import nats from '../src/index.js';

let server: NatsServer;
let storeDir: string;
beforeAll(async () => {
  storeDir = mkdtempSync(path.join(tmpdir(), 'liqmon-nats-store-'));
  server = await startNatsServer({ storeDir });
});
afterAll(async () => {
  await server?.stop();
  rmSync(storeDir, { recursive: true, force: true });
});

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

let streams = 0;
function bus() {
  streams++;
  return { servers: server.url, stream: `S${streams}`, subjectPrefix: `s${streams}` };
}

async function publish(where: ReturnType<typeof bus>, events: Liquidation[]): Promise<void> {
  const sink = createSinkHarness(natsSink, where);
  await sink.instance.send(sink.instance.render(events.map((e) => sampleAlert(e))), 'default', new AbortController().signal);
  await sink.instance.stop?.();
}

async function publishRaw(where: ReturnType<typeof bus>, payloads: string[]): Promise<void> {
  const nc = await connect({ servers: where.servers });
  const js = jetstream(nc);
  for (const payload of payloads) await js.publish(`${where.subjectPrefix}.liq.x.y`, payload);
  await nc.close();
}

async function source(where: ReturnType<typeof bus>, options: Record<string, unknown> = {}): Promise<SourceHarness> {
  const run = await runSource(nats, { ...where, consumer: 'alerts', ...options }, { name: 'bus' });
  cleanup.push(() => run.stop());
  return run;
}

const event = (n: number) => sampleLiquidation({ id: `bybit:linear:ETHUSDT:${n}`, exchange: 'bybit', market: 'linear', symbol: 'ETHUSDT', base: 'ETH', time: 1_764_806_400_000 + n });
/** What the source must give for an event the ingest instance published: the same, with its own name and receive time. */
const asReceived = (e: Liquidation) => ({ ...e, source: 'bus', receivedAt: expect.any(Number) as number });

describe('nats source', () => {
  it('delivers what the sink published, as the same liquidations (source and receivedAt its own)', async () => {
    const where = bus();
    await publish(where, []); // creates the stream
    const run = await source(where);
    await publish(where, [event(1), event(2), event(3)]);
    const events = await run.waitForEvents(3);
    expect(events).toEqual([event(1), event(2), event(3)].map(asReceived));
    expect(run.instance.health?.()).toMatchObject({ connected: true });
  });

  it('resumes from its durable consumer after a restart: nothing twice, nothing missed', async () => {
    const where = bus();
    await publish(where, []);
    const first = await source(where);
    await publish(where, [event(1), event(2)]);
    await first.waitForEvents(2);
    await first.stop();
    await publish(where, [event(3), event(4), event(5)]);
    const second = await source(where);
    const events = await second.waitForEvents(3);
    await new Promise((resolve) => setTimeout(resolve, 200)); // anything redelivered would show up here
    expect(second.events.map((e) => e.id)).toEqual([event(3).id, event(4).id, event(5).id]);
    expect(events).toHaveLength(3);
  });

  it('starts a new consumer at new messages by default, or at everything the stream holds with startAt: all', async () => {
    const where = bus();
    await publish(where, [event(1)]);
    const fresh = await source(where, { consumer: 'fresh' });
    const replay = await source(where, { consumer: 'replay', startAt: 'all' });
    await publish(where, [event(2)]);
    await fresh.waitForEvents(1);
    await replay.waitForEvents(2);
    expect(fresh.events.map((e) => e.id)).toEqual([event(2).id]);
    expect(replay.events.map((e) => e.id)).toEqual([event(1).id, event(2).id]);
  });

  it('counts and skips hostile messages, acknowledges them, and keeps consuming', async () => {
    const where = bus();
    await publish(where, []);
    const run = await source(where);
    const nested = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const fields = JSON.parse(JSON.stringify(event(9))) as Record<string, unknown>;
    await publishRaw(where, ['', 'not json', '{', 'null', '[]', '{}', nested, JSON.stringify({ ...fields, price: '1' }), JSON.stringify({ ...fields, sampled: 'yes' }), '\u0000']);
    await publish(where, [event(10)]);
    await run.waitForEvents(1);
    expect(run.events.map((e) => e.id)).toEqual([event(10).id]);
    expect(run.malformed).toHaveLength(10);
    expect(run.crashes).toEqual([]);
    const nc = await connect({ servers: server.url });
    const info = await (await jetstreamManager(nc)).consumers.info(where.stream, 'alerts');
    await nc.close();
    expect({ pending: info.num_pending, unacknowledged: info.num_ack_pending }).toEqual({ pending: 0, unacknowledged: 0 });
  });

  it('keeps consuming after the server restarts', async () => {
    const where = bus();
    await publish(where, []);
    const run = await source(where);
    await publish(where, [event(1)]);
    await run.waitForEvents(1);
    await server.stop();
    server = await startNatsServer({ storeDir, port: server.port });
    await run.waitFor(() => run.instance.health?.().reconnects === 1, { timeout: 15_000 });
    await publish(where, [event(2)]);
    await run.waitForEvents(2, 15_000);
    expect(run.events.map((e) => e.id)).toEqual([event(1).id, event(2).id]);
  });

  it('fails to start while NATS is down (core retries it), with the server named', async () => {
    const down = await startNatsServer();
    await down.stop();
    const run = await runSource(nats, { servers: down.url, consumer: 'x' }, { name: 'bus' }).catch((error: unknown) => error);
    expect(String(run)).toMatch(/127\.0\.0\.1/);
  });
});
