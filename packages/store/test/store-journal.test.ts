/**
 * The journal as `liqmon start` uses it: writes and marks go to the store's writer thread, and delivery
 * sends an alert only once its record is committed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Alert, Delivery, DEFAULT_DELIVERY_OPTIONS, type SinkInstance } from '@liqmon/core';
import { createMemoryLogger } from '@liqmon/core/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_JOURNAL_BACKLOG, openDatabase, Store, StoreJournal } from '../src/index.js';
import { liquidation } from './events.js';

let dir: string;
let file: string;
const stores: Store[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'liqmon-store-journal-'));
  file = join(dir, 'liqmon.db');
});
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function open(writerPragmas: string[] = []) {
  const log = createMemoryLogger();
  const store = Store.open({ file, retentionMs: 0, logger: log.logger, writerPragmas });
  stores.push(store);
  return { store, journal: new StoreJournal(store), log };
}

const alert = (n: number): Alert => ({ kind: 'liquidation', rule: 'majors', events: [liquidation(n)], createdAt: Date.now(), id: `id${n}` });

/** Rows of the outbox as committed, read on a connection of their own. */
function rows(): { key: number; alert_id: string; state: string }[] {
  const db = openDatabase(file, { readonly: true });
  try {
    return db.prepare<[], { key: number; alert_id: string; state: string }>('SELECT key, alert_id, state FROM outbox ORDER BY key').all();
  } finally {
    db.close();
  }
}

/** A sink that notes, at each send, which of its alerts were committed to the outbox by then. */
function checkingSink() {
  const committedAtSend: string[][] = [];
  const instance: SinkInstance<string[]> = {
    render: (alerts) => alerts.map((a) => a.id ?? ''),
    async send(ids) {
      const stored = new Set(rows().map((row) => row.alert_id));
      committedAtSend.push(ids.filter((id) => stored.has(id)));
    },
  };
  return { instance, committedAtSend };
}

describe('StoreJournal', () => {
  it('sends an alert only once its record is committed, and marks it delivered', async () => {
    const { journal } = open();
    const sink = checkingSink();
    const { logger } = createMemoryLogger();
    const delivery = new Delivery({ sinks: [{ name: 'telegram', instance: sink.instance, logger }], options: DEFAULT_DELIVERY_OPTIONS, logger, journal });
    delivery.deliver(alert(1), ['telegram']);
    delivery.deliver(alert(2), ['telegram']);
    await vi.waitFor(() => expect(rows().map((row) => row.state)).toEqual(['delivered', 'delivered']));
    // Every alert a message held was on disk when the message went out.
    expect(sink.committedAtSend.flat()).toEqual(['id1', 'id2']);
    expect(journal.committed([1, 2])).toBeUndefined(); // nothing outstanding
  });

  it('continues the keys of the last run, and reads its pending alerts back', async () => {
    const first = open();
    expect(first.journal.write(alert(1), [{ sink: 'telegram', destination: 'a' }, { sink: 'telegram', destination: 'b' }])).toEqual([1, 2]);
    await first.journal.committed([1, 2]);
    await first.store.close();
    const second = open();
    expect(second.journal.pending().map((p) => [p.key, p.destination, p.alert.id])).toEqual([
      [1, 'a', 'id1'],
      [2, 'b', 'id1'],
    ]);
    expect(second.journal.write(alert(2), [{ sink: 'telegram', destination: 'a' }])).toEqual([3]);
  });

  it('refuses new alerts while the writer thread is MAX_JOURNAL_BACKLOG changes behind, says so, and says when it caught up', async () => {
    const { journal } = open();
    const reports: (string | undefined)[] = [];
    journal.watch((failure) => reports.push(failure && String(failure.error)));
    const target = [{ sink: 'telegram', destination: 'a' }];
    // All in one turn: the writer thread has done none of them yet.
    const keys = Array.from({ length: MAX_JOURNAL_BACKLOG }, (_, n) => journal.write(alert(n), target)[0]!);
    expect(() => journal.write(alert(-1), target)).toThrow(/too far behind/);
    expect(reports).toEqual([expect.stringContaining(`${MAX_JOURNAL_BACKLOG} changes behind`)]);
    await journal.committed([keys.at(-1)!]);
    expect(journal.write(alert(-2), target)).toEqual([keys.at(-1)! + 2]); // the refused one used a key too
    expect(reports).toEqual([expect.any(String), undefined]);
    await journal.committed([keys.at(-1)! + 2]);
    expect(rows()).toHaveLength(MAX_JOURNAL_BACKLOG + 1);
  });

  it('reports a write that failed on the writer thread through watch, without holding delivery up', async () => {
    // The database may not grow: an alert's row needs a page it cannot have.
    const migrated = openDatabase(file);
    migrated.exec('VACUUM'); // no free page left by the migrations either
    const pages = migrated.pragma('page_count', { simple: true }) as number;
    migrated.close();
    const { journal } = open([`max_page_count = ${pages}`]);
    const reports: (string | undefined)[] = [];
    journal.watch((failure) => reports.push(failure && `${failure.doing}: ${String(failure.error)}`));
    const big: Alert = { ...alert(1), rule: 'x'.repeat(20_000) };
    journal.write(big, [{ sink: 'telegram', destination: 'a' }]);
    await journal.committed([1]); // done, though failed: delivery is not held up
    expect(reports).toEqual([expect.stringMatching(/^write an alert to: .*full/)]);
    expect(rows()).toEqual([]);
  });
});
