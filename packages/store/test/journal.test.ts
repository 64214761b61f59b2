import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Alert, Delivery, DEFAULT_DELIVERY_OPTIONS, type SinkInstance } from '@liqmon/core';
import { createMemoryLogger } from '@liqmon/core/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_OUTBOX_KEEP_MS, openDatabase, OutboxJournal, type StoreDatabase } from '../src/index.js';
import { liquidation } from './events.js';

let dir: string;
let file: string;
const dbs: StoreDatabase[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'liqmon-outbox-'));
  file = join(dir, 'liqmon.db');
});
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Open the store file as `liqmon start` does (migrated) and make a journal on it. */
function journal(now = () => Date.UTC(2026, 11, 4, 12)) {
  const db = openDatabase(file);
  dbs.push(db);
  return { db, journal: new OutboxJournal(db, { now }) };
}

function alert(n: number, createdAt = Date.UTC(2026, 11, 4, 11, 59) + n): Alert {
  return { kind: 'liquidation', rule: 'majors', events: [liquidation(n)], createdAt, id: `id${n}` };
}

/** A sink whose messages are the event numbers of their alerts; `hang` makes every send after the first `delivers` never end. */
function sink(delivers = Infinity) {
  const sent: string[][] = [];
  let calls = 0;
  const instance: SinkInstance<string[]> = {
    render: (alerts) => alerts.map((a) => a.events[0]?.id.split(':').at(-1) ?? a.kind),
    async send(message) {
      if (calls++ >= delivers) return new Promise<void>(() => {});
      sent.push(message);
    },
  };
  return { instance, sent };
}

function delivery(instance: SinkInstance, journal: OutboxJournal) {
  const { logger } = createMemoryLogger();
  return new Delivery({ sinks: [{ name: 'telegram', instance, logger }], options: DEFAULT_DELIVERY_OPTIONS, logger, journal });
}

/** A few turns of the event loop: the sends delivery started settle (no timers involved). */
const turns = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('OutboxJournal', () => {
  it('keeps pending alerts across a reopen, in order and as they were written', () => {
    const first = journal();
    expect(first.journal.write(alert(1), [{ sink: 'telegram', destination: '-100' }, { sink: 'discord', destination: 'default' }])).toEqual([1, 2]);
    expect(first.journal.write(alert(2), [{ sink: 'telegram', destination: '-100' }])).toEqual([3]);
    first.journal.delivered([2]);
    first.db.close();
    dbs.length = 0;

    const second = journal();
    expect(second.journal.pending()).toEqual([
      { key: 1, sink: 'telegram', destination: '-100', alert: alert(1) },
      { key: 3, sink: 'telegram', destination: '-100', alert: alert(2) },
    ]);
    second.journal.settle([1, 3], 'rejected');
    expect(second.journal.pending()).toEqual([]);
    expect(second.journal.counts()).toEqual({ pending: 0, delivered: 1, settled: 2 });
    expect(second.db.prepare('SELECT DISTINCT reason FROM outbox WHERE state = ?').all('settled')).toEqual([{ reason: 'rejected' }]);
  });

  it('marks a row once: a settled row is not marked delivered later', () => {
    const { journal: j, db } = journal();
    j.write(alert(1), [{ sink: 'telegram', destination: 'default' }]);
    j.settle([1], 'digest');
    j.delivered([1]);
    expect(db.prepare('SELECT state, reason FROM outbox').all()).toEqual([{ state: 'settled', reason: 'digest' }]);
  });

  it('prunes finished rows older than the keep time (7 days by default), never pending ones', () => {
    let now = Date.UTC(2026, 11, 4, 12);
    const { journal: j } = journal(() => now);
    j.write(alert(1), [{ sink: 'telegram', destination: 'default' }]);
    j.write(alert(2), [{ sink: 'telegram', destination: 'default' }]);
    j.write(alert(3), [{ sink: 'telegram', destination: 'default' }]);
    j.delivered([1]);
    j.settle([2], 'rejected');
    now += DEFAULT_OUTBOX_KEEP_MS;
    expect(j.prune()).toBe(0);
    now += 1;
    expect(j.prune()).toBe(2);
    expect(j.counts()).toEqual({ pending: 1, delivered: 0, settled: 0 });
  });

  it('counts pending rows for the health report: written, then neither delivered nor settled', () => {
    const { journal: j } = journal();
    expect(j.pendingCount()).toBe(0);
    j.write(alert(1), [{ sink: 'telegram', destination: '-100' }, { sink: 'discord', destination: 'default' }]);
    j.write(alert(2), [{ sink: 'telegram', destination: '-100' }]);
    expect(j.pendingCount()).toBe(3);
    j.delivered([1]);
    j.settle([2], 'rejected');
    expect(j.pendingCount()).toBe(1);
  });

  it('lets a restarted Delivery send what a killed one left, once, in order', async () => {
    const killed = journal();
    const hung = sink(1);
    const before = delivery(hung.instance, killed.journal);
    // Created now: younger than delivery.maxAge, so the restart sends them one by one.
    before.deliver(alert(1, Date.now()), ['telegram']);
    await vi.waitFor(() => expect(killed.journal.counts().delivered).toBe(1));
    for (let n = 2; n <= 5; n++) before.deliver(alert(n, Date.now()), ['telegram']); // 2 in flight (hangs), 3..5 wait
    await turns();
    expect(hung.sent).toEqual([['1']]);
    killed.db.close(); // the process dies: its connection goes, the file stays
    dbs.length = 0;

    const restarted = journal();
    const fresh = sink();
    delivery(fresh.instance, restarted.journal);
    await vi.waitFor(() => expect(restarted.journal.counts()).toEqual({ pending: 0, delivered: 5, settled: 0 }));
    expect(fresh.sent.flat()).toEqual(['2', '3', '4', '5']);

    const again = sink();
    delivery(again.instance, journal().journal);
    await turns();
    expect(again.sent).toEqual([]);
  });
});
