/**
 * The journal as `liqmon start` uses it: writes and marks go to the journal's log and to the store's
 * writer thread, and delivery sends an alert only once its record is safe from a killed process: in
 * the log, or (without a log) committed.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Alert, Delivery, DEFAULT_DELIVERY_OPTIONS, type SinkInstance } from '@liqmon/core';
import { createMemoryLogger } from '@liqmon/core/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { journalLogFile, MAX_JOURNAL_BACKLOG, openDatabase, readLog, Store, StoreJournal } from '../src/index.js';
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

function open(writerPragmas: string[] = [], journalLog = true) {
  const log = createMemoryLogger();
  const store = Store.open({ file, retentionMs: 0, logger: log.logger, writerPragmas, journalLog });
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

/** Alert ids whose record the journal's log holds now. */
function logged(): string[] {
  return readLog(journalLogFile(file)).ops.flatMap((op) => (op.op === 'write' ? [op.record.alertId] : []));
}

/** A sink that notes, at each send, which of its alerts were safe by then: committed to the outbox, or (`withLog`) in the log. */
function checkingSink(withLog: boolean) {
  const safeAtSend: string[][] = [];
  const instance: SinkInstance<string[]> = {
    render: (alerts) => alerts.map((a) => a.id ?? ''),
    async send(ids) {
      const safe = new Set([...rows().map((row) => row.alert_id), ...(withLog ? logged() : [])]);
      safeAtSend.push(ids.filter((id) => safe.has(id)));
    },
  };
  return { instance, safeAtSend };
}

describe('StoreJournal', () => {
  it.each([
    ['in the log', true],
    ['committed, without a log', false],
  ])('sends an alert only once its record is safe (%s), and marks it delivered', async (_, withLog) => {
    const { journal } = open([], withLog);
    const sink = checkingSink(withLog);
    const { logger } = createMemoryLogger();
    const delivery = new Delivery({ sinks: [{ name: 'telegram', instance: sink.instance, logger }], options: DEFAULT_DELIVERY_OPTIONS, logger, journal });
    delivery.deliver(alert(1), ['telegram']);
    delivery.deliver(alert(2), ['telegram']);
    await vi.waitFor(() => expect(rows().map((row) => row.state)).toEqual(['delivered', 'delivered']));
    // Every alert a message held was safe when the message went out.
    expect(sink.safeAtSend.flat()).toEqual(['id1', 'id2']);
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
    // Without the log, committed() waits for the writer thread: the test can wait for it to catch up.
    const { journal } = open([], false);
    const reports: (string | undefined)[] = [];
    journal.watch((failure) => reports.push(failure && String(failure.error)));
    const target = [{ sink: 'telegram', destination: 'a' }];
    // All in one turn: the writer thread has done none of them yet.
    const keys = Array.from({ length: MAX_JOURNAL_BACKLOG }, (_, n) => journal.write(alert(n), target)[0]!);
    expect(() => journal.write(alert(-1), target)).toThrow(/too far behind/);
    expect(reports).toEqual([expect.stringContaining(`${MAX_JOURNAL_BACKLOG} changes behind`)]);
    await journal.committed([keys.at(-1)!]);
    expect(journal.write(alert(-2), target)).toEqual([keys.at(-1)! + 1]); // the refused one used no key
    expect(reports).toEqual([expect.any(String), undefined]);
    await journal.committed([keys.at(-1)! + 1]);
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
    expect(journal.committed([1])).toBeUndefined(); // in the log: delivery is not held up
    await vi.waitFor(() => expect(reports).toEqual([expect.stringMatching(/^write an alert to: .*full/)]));
    expect(rows()).toEqual([]);
    // The log keeps what the database could not take, for the next start.
    await stores[0]!.close();
    expect(logged()).toEqual(['id1']);
  });

  it('empties the log once the writer thread has committed what it holds, and removes it at close', async () => {
    const { store, journal } = open();
    const target = [{ sink: 'telegram', destination: 'a' }];
    journal.write(alert(1), target);
    journal.write(alert(2), target);
    journal.delivered([1]);
    // Logged at the end of the turn, or at once when delivery asks, before the writer thread has
    // anything: safe from a kill from then on.
    expect(readFileSync(journalLogFile(file), 'utf8')).toBe('');
    expect(journal.committed([1, 2])).toBeUndefined();
    expect(readLog(journalLogFile(file)).ops.map((op) => op.op)).toEqual(['write', 'write', 'delivered']);
    await vi.waitFor(() => expect(rows().map((row) => row.state)).toEqual(['delivered', 'pending']));
    await vi.waitFor(() => expect(readFileSync(journalLogFile(file), 'utf8')).toBe(''));
    await store.close();
    expect(existsSync(journalLogFile(file))).toBe(false);
  });

  it('applies what the last run logged and did not commit at the next start, once, before reading pending alerts', async () => {
    const target = [{ sink: 'telegram', destination: 'a' }];
    const first = open();
    first.journal.write(alert(1), target);
    await vi.waitFor(() => expect(rows()).toHaveLength(1));
    await first.store.close();
    // What a run killed right after logging leaves: keys 2 and 3 written, 1 and 2 delivered, key 1's
    // write logged again (committed too), and a last line cut short by the kill.
    const line = (op: object) => JSON.stringify(op);
    const write = (key: number) => `{"op":"write","keys":[${key}],"targets":${JSON.stringify(target)},"alert":${JSON.stringify(alert(key))}}`;
    writeFileSync(journalLogFile(file), [write(1), write(2), write(3), line({ op: 'delivered', keys: [1, 2] }), '{"op":"deliv'].join('\n'));

    const second = open();
    expect(second.log.lines.filter((l) => l.level === 30).map((l) => l.msg)).toContainEqual(
      expect.stringContaining('read back 4 change(s) the last run logged'),
    );
    expect(second.log.lines.map((l) => l.msg)).toContainEqual(expect.stringContaining('1 line(s) cut short'));
    expect(rows().map((row) => [row.key, row.alert_id, row.state])).toEqual([
      [1, 'id1', 'delivered'],
      [2, 'id2', 'delivered'],
      [3, 'id3', 'pending'],
    ]);
    expect(second.journal.pending().map((p) => p.alert.id)).toEqual(['id3']);
    expect(readFileSync(journalLogFile(file), 'utf8')).toBe(''); // read back once: a third start finds nothing
    expect(second.journal.write(alert(4), target)).toEqual([4]);
  });

  it('without a log it can open, says so and waits for the writer commit instead', async () => {
    mkdirSync(journalLogFile(file)); // a folder where the log should be
    const { journal, log } = open();
    expect(log.lines.map((l) => l.msg)).toContainEqual(expect.stringMatching(/could not .*-outbox\.log.*wait for the database's commit/));
    journal.write(alert(1), [{ sink: 'telegram', destination: 'a' }]);
    const committed = journal.committed([1]);
    expect(committed).toBeInstanceOf(Promise);
    await committed;
    expect(rows()).toHaveLength(1);
  });
});
