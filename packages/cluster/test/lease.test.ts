/**
 * Leader election through the KV lease, against a real nats-server with JetStream: one leader at a
 * time, renewal by compare-and-set, takeover once the lease has expired, and a release handing over at
 * once. Ticks are called by hand (the node calls them every third of the lease).
 */
import { jetstream } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { startNatsServer, type NatsServer } from '@liqmon/sink-nats/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEASE_KEY, LeaderLease } from '../src/lease.js';

let server: NatsServer;
let nc: NatsConnection;
beforeAll(async () => {
  server = await startNatsServer();
  nc = await connect({ servers: server.url });
});
afterAll(async () => {
  await nc?.close();
  await server?.stop();
});

let buckets = 0;
async function bucket(ttl: number): Promise<KV> {
  return new Kvm(jetstream(nc)).create(`lease-test-${++buckets}`, { ttl, history: 1 });
}

function candidate(kv: KV, instance: string, leaseMs = 10_000) {
  const changes: boolean[] = [];
  const errors: unknown[] = [];
  const lease = new LeaderLease({ kv, instance, leaseMs, onChange: (isLeader) => changes.push(isLeader), onError: (error) => errors.push(error) });
  return { lease, changes, errors };
}

/** Waits (polling the server) until the lease key has expired. */
async function expired(kv: KV): Promise<void> {
  while ((await kv.get(LEASE_KEY))?.operation === 'PUT') await new Promise((resolve) => setTimeout(resolve, 100));
}

describe('the leader lease', () => {
  it('elects one leader; the other follows and sees who leads', async () => {
    const kv = await bucket(10_000);
    const a = candidate(kv, 'a');
    const b = candidate(kv, 'b');
    await a.lease.tick();
    await b.lease.tick();
    expect(a.lease.view).toMatchObject({ isLeader: true, leader: 'a' });
    expect(b.lease.view).toMatchObject({ isLeader: false, leader: 'a' });
    expect(a.changes).toEqual([true]);
    expect(b.changes).toEqual([]);
    expect([...a.errors, ...b.errors]).toEqual([]);
  });

  it('renews at the held revision and keeps the lead', async () => {
    const kv = await bucket(10_000);
    const a = candidate(kv, 'a');
    const b = candidate(kv, 'b');
    await a.lease.tick();
    const first = (await kv.get(LEASE_KEY))?.revision ?? 0;
    await a.lease.tick();
    await b.lease.tick();
    await a.lease.tick();
    expect((await kv.get(LEASE_KEY))?.revision).toBeGreaterThan(first);
    expect(a.lease.isLeader).toBe(true);
    expect(b.lease.isLeader).toBe(false);
    expect(a.changes).toEqual([true]);
  });

  it('is taken over once the leader stopped renewing and the lease expired; the old leader learns it lost', async () => {
    const kv = await bucket(1_000);
    const a = candidate(kv, 'a', 1_000);
    const b = candidate(kv, 'b', 1_000);
    await a.lease.tick();
    await b.lease.tick();
    expect(b.lease.isLeader).toBe(false);
    await expired(kv); // a stopped ticking (a crash)
    await b.lease.tick();
    expect(b.lease.view).toMatchObject({ isLeader: true, leader: 'b' });
    await a.lease.tick();
    expect(a.lease.isLeader).toBe(false);
    expect(a.changes).toEqual([true, false]);
    expect(a.lease.view.leader).toBe('b');
  });

  it('hands over at once when the leader releases it', async () => {
    const kv = await bucket(60_000);
    const a = candidate(kv, 'a', 60_000);
    const b = candidate(kv, 'b', 60_000);
    await a.lease.tick();
    await b.lease.tick();
    await a.lease.release();
    await b.lease.tick();
    expect(b.lease.isLeader).toBe(true);
    expect(a.changes).toEqual([true, false]);
    expect(a.errors).toEqual([]);
  });

  it('releasing a lease someone else took since does not delete theirs', async () => {
    const kv = await bucket(1_000);
    const a = candidate(kv, 'a', 1_000);
    const b = candidate(kv, 'b', 1_000);
    await a.lease.tick();
    await expired(kv);
    await b.lease.tick();
    await a.lease.release();
    expect((await kv.get(LEASE_KEY))?.json()).toMatchObject({ instance: 'b' });
  });
});

describe('a leader that cannot reach NATS', () => {
  it('steps down by itself before its lease can expire, so that two never deliver at once', async () => {
    let now = 0;
    let down = false;
    let revision = 0;
    const kv = {
      create: async () => ++revision,
      update: async () => {
        if (down) throw new Error('TIMEOUT');
        return ++revision;
      },
      get: async () => null,
    } as unknown as KV;
    const changes: boolean[] = [];
    const lease = new LeaderLease({ kv, instance: 'a', leaseMs: 9_000, now: () => now, onChange: (v) => changes.push(v), onError: () => {} });
    await lease.tick();
    down = true;
    now += 3_000;
    await lease.tick();
    expect(lease.isLeader).toBe(true); // one missed renewal: still inside the lease
    now += 3_000;
    await lease.tick();
    expect(lease.isLeader).toBe(false);
    expect(changes).toEqual([true, false]);
  });
});
