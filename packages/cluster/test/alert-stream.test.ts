/**
 * The alert stream against a real nats-server: two instances publishing the same alert store it once;
 * the leader's consumer hands each alert to delivery once and acknowledges it only when every
 * destination is done; a new leader's consumer gets exactly what no leader acknowledged.
 */
import { alertId, type Alert, type JournalTarget } from '@liqmon/core';
import { sampleAlert, sampleLiquidation } from '@liqmon/core/testing';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { startNatsServer, type NatsServer } from '@liqmon/sink-nats/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AckJournal } from '../src/ack-journal.js';
import { AlertConsumer } from '../src/alert-consumer.js';
import { AlertPublisher } from '../src/alert-publisher.js';
import { clusterNames, type ClusterNames } from '../src/options.js';
import { ensureAlertStream } from '../src/stream.js';

const silent = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} } as never;

let server: NatsServer;
let nc: NatsConnection;
let js: JetStreamClient;
let jsm: JetStreamManager;
beforeAll(async () => {
  server = await startNatsServer();
  nc = await connect({ servers: server.url });
  js = jetstream(nc);
  jsm = await jetstreamManager(nc);
});
afterAll(async () => {
  await nc?.close();
  await server?.stop();
});
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

let clusters = 0;
async function cluster(): Promise<ClusterNames> {
  const names = clusterNames(`t${++clusters}`);
  await ensureAlertStream(jsm, names, 10_000, silent);
  return names;
}

function alert(n: number): Alert {
  const a = sampleAlert(sampleLiquidation({ id: `binance:${n}` }), 'all');
  a.id = alertId(a);
  return a;
}

/** A leader's delivery: records what it gets, writes one destination per alert into the journal. */
function leader(names: ClusterNames) {
  const journal = new AckJournal();
  const got: { id: string; key: number }[] = [];
  const consumer = new AlertConsumer(js, jsm, names, journal, {
    deliver: (a, sinks) => {
      const targets: JournalTarget[] = sinks.map((sink) => ({ sink, destination: 'default' }));
      const keys = journal.write(a, targets);
      got.push({ id: a.id ?? '', key: keys[0] ?? 0 });
    },
  }, silent);
  cleanup.push(() => consumer.stop());
  return { journal, got, consumer };
}

async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 20));
}

async function messagesIn(names: ClusterNames): Promise<number> {
  return (await jsm.streams.info(names.stream)).state.messages;
}

describe('the alert stream', () => {
  it('stores an alert published by two instances once', async () => {
    const names = await cluster();
    const one = new AlertPublisher(js, names.subject, silent);
    const two = new AlertPublisher(js, names.subject, silent);
    for (const n of [1, 2, 3]) one.publish(alert(n), ['telegram']);
    for (const n of [1, 2, 3]) two.publish(alert(n), ['telegram']);
    await one.flush(5_000);
    await two.flush(5_000);
    expect(await messagesIn(names)).toBe(3);
  });

  it('hands each alert to the leader once and acknowledges it when delivered', async () => {
    const names = await cluster();
    const publisher = new AlertPublisher(js, names.subject, silent);
    for (const n of [1, 2]) publisher.publish(alert(n), ['telegram']);
    await publisher.flush(5_000);
    const { journal, got, consumer } = leader(names);
    await consumer.start();
    await until(() => got.length === 2);
    expect(got.map((g) => g.id)).toEqual([alert(1).id, alert(2).id]);
    expect(journal.inFlight).toBe(2);
    journal.delivered([got[0]?.key ?? 0]);
    await until(async () => (await messagesIn(names)) === 1);
    journal.settle([got[1]?.key ?? 0], 'rejected');
    await until(async () => (await messagesIn(names)) === 0);
    expect(journal.inFlight).toBe(0);
  });

  it('acknowledges an alert only when every destination is done', async () => {
    const names = await cluster();
    const publisher = new AlertPublisher(js, names.subject, silent);
    publisher.publish(alert(1), ['telegram', 'discord']);
    await publisher.flush(5_000);
    const journal = new AckJournal();
    const keys: number[] = [];
    const consumer = new AlertConsumer(js, jsm, names, journal, { deliver: (a, sinks) => keys.push(...journal.write(a, sinks.map((sink) => ({ sink, destination: 'default' })))) }, silent);
    cleanup.push(() => consumer.stop());
    await consumer.start();
    await until(() => keys.length === 2);
    journal.delivered([keys[0] ?? 0]);
    await nc.flush();
    expect(await messagesIn(names)).toBe(1);
    journal.delivered([keys[1] ?? 0]);
    await until(async () => (await messagesIn(names)) === 0);
  });

  it('gives a new leader exactly what the old one did not acknowledge', async () => {
    const names = await cluster();
    const publisher = new AlertPublisher(js, names.subject, silent);
    for (const n of [1, 2, 3, 4]) publisher.publish(alert(n), ['telegram']);
    await publisher.flush(5_000);
    const old = leader(names);
    await old.consumer.start();
    await until(() => old.got.length === 4);
    // Alerts 1 and 3 were delivered; then the old leader died (it never stops its consumer cleanly).
    old.journal.delivered([old.got[0]?.key ?? 0, old.got[2]?.key ?? 0]);
    await until(async () => (await messagesIn(names)) === 2);
    const next = leader(names);
    await next.consumer.start();
    await until(() => next.got.length === 2);
    expect(next.got.map((g) => g.id)).toEqual([alert(2).id, alert(4).id]);
  });

  it('acknowledges at once an alert delivery wrote nothing for (every sink named is stopped)', async () => {
    const names = await cluster();
    const publisher = new AlertPublisher(js, names.subject, silent);
    publisher.publish(alert(1), ['gone']);
    await publisher.flush(5_000);
    const journal = new AckJournal();
    let handed = 0;
    const consumer = new AlertConsumer(js, jsm, names, journal, { deliver: () => void handed++ }, silent);
    cleanup.push(() => consumer.stop());
    await consumer.start();
    await until(async () => handed === 1 && (await messagesIn(names)) === 0);
    expect(journal.inFlight).toBe(0);
  });
});
