/**
 * The outbox journal of `liqmon start`: on the store's own connection when the store is open, none with
 * `store: false`, off (delivery in memory, said once) when the store could not be opened; its status
 * is what `/healthz`, `liqmon status` and the metrics show.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Alert, Delivery, DEFAULT_DELIVERY_OPTIONS, type SinkInstance } from '@liqmon/core';
import { createMemoryLogger } from '@liqmon/core/testing';
import { Store } from '@liqmon/store';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RunJournal } from '../../src/store/run-journal.js';
import { liquidation } from '../ops/fakes.js';

let dir: string;
const closing: (() => unknown)[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'liqmon-run-journal-'));
});
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close();
  rmSync(dir, { recursive: true, force: true });
});

function open(file = join(dir, 'liqmon.db')) {
  const { logger, lines } = createMemoryLogger();
  const store = Store.open({ file, retentionMs: 0, logger });
  closing.push(() => store.close());
  const journal = RunJournal.open(store, logger);
  return { store, journal, lines };
}

/** A sink that records what it sends; with `hang`, every send never ends (a message in flight at a kill). */
function sink(hang = false) {
  const sent: string[] = [];
  const instance: SinkInstance<string> = {
    render: (alerts) => alerts.map((a) => a.events[0]?.id ?? a.kind).join(','),
    send: async (message) => {
      if (hang) return new Promise<void>(() => {});
      sent.push(message);
    },
  };
  return { instance, sent };
}

function delivery(instance: SinkInstance, journal: RunJournal) {
  const { logger } = createMemoryLogger();
  const made = new Delivery({ sinks: [{ name: 'telegram', instance, logger }], options: DEFAULT_DELIVERY_OPTIONS, logger, ...(journal.journal ? { journal: journal.journal } : {}) });
  journal.attach(made);
  return made;
}

const alert = (id: string): Alert => ({ kind: 'liquidation', rule: 'all', events: [liquidation({ id })], createdAt: Date.now(), id });

describe('RunJournal', () => {
  it('writes alerts on the store connection and reports pending and recovered alerts across a restart', async () => {
    const first = open();
    expect(first.journal?.journal).toBeDefined();
    const hung = delivery(sink(true).instance, first.journal!);
    hung.deliver(alert('a'), ['telegram']); // in flight, never answered
    hung.deliver(alert('b'), ['telegram']); // queued behind it
    // Written by the store's writer thread: committed once it has caught up.
    first.store.flush();
    expect(first.store.db!.prepare("SELECT count(*) AS n FROM outbox WHERE state = 'pending'").get()).toEqual({ n: 2 });
    expect(first.journal!.status()).toEqual({ state: 'ok', recovered: 0, failures: 0, pending: 2 });
    // The process dies: timers and the connection go, the file stays.
    for (const close of closing.splice(0).reverse()) await close();

    const second = open();
    const fresh = sink();
    delivery(fresh.instance, second.journal!);
    await vi.waitFor(() => expect(fresh.sent).toEqual(['a,b'])); // in order, merged into one message
    await vi.waitFor(() => expect(second.journal!.status()).toEqual({ state: 'ok', recovered: 2, failures: 0, pending: 0 }));
    expect(second.lines.filter((line) => line.level >= 40)).toEqual([]);
  });

  it('is off with one warning when the store could not be opened, and delivery has no journal', () => {
    const file = join(dir, 'liqmon.db');
    writeFileSync(file, 'no database here '.repeat(100));
    const { journal, lines } = open(file);
    expect(journal?.journal).toBeUndefined();
    expect(journal?.status()).toEqual({ state: 'off', recovered: 0, failures: 0, lastError: `the store ${file} could not be opened` });
    const warnings = lines.filter((line) => line.level === 40).map((line) => line.msg);
    expect(warnings).toEqual([
      `outbox journal: off (the store ${file} could not be opened, see above); alerts are delivered from memory, and those still queued when liqmon is killed are lost`,
    ]);
  });

  it('is absent with store: false (said in the store line: openRunStore)', () => {
    const { logger, lines } = createMemoryLogger();
    expect(RunJournal.open(undefined, logger)).toBeUndefined();
    expect(lines).toEqual([]);
  });

  it('reports a journal that fails (the store closed under it) as failed, and delivery goes on', async () => {
    const { store, journal } = open();
    const fresh = sink();
    const made = delivery(fresh.instance, journal!);
    await store.close();
    made.deliver(alert('c'), ['telegram']);
    await vi.waitFor(() => expect(fresh.sent).toEqual(['c']));
    const status = journal!.status();
    expect(status).toMatchObject({ state: 'failed', recovered: 0, failures: 1 });
    expect(status.pending).toBeUndefined();
    expect(status.lastError).toMatch(/not open/i);
  });
});
