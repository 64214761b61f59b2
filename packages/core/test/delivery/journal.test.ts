import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Alert } from '../../src/alert.js';
import { alertId } from '../../src/delivery/index.js';
import { DeliveryError } from '../../src/errors.js';
import { MemoryJournal } from '../../src/testing/memory-journal.js';
import { liq, T0 } from '../rules/liquidations.js';
import { delivery, idOf, scriptedSink } from './harness.js';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});
afterEach(() => vi.useRealTimers());

let n = 0;
/** A single-liquidation alert with a readable event id (`a1`, `a2`...). */
function alert(usd = 100_000): Alert {
  n++;
  return { kind: 'liquidation', rule: 'majors', events: [liq({ id: `a${n}`, usd })], createdAt: Date.now() };
}
beforeEach(() => {
  n = 0;
});

const flatten = (messages: { message: string[] }[]) => messages.flatMap((m) => m.message);
const never = () => new Promise<void>(() => {});
const eventIds = (rows: { alert: Alert }[]) => rows.map((row) => idOf(row.alert));

/** A run that is killed: its sink delivers `delivers` messages, then the next send never ends. */
function killedRun(journal: MemoryJournal, delivers: number, options = {}) {
  const sink = scriptedSink((call) => (call < delivers ? undefined : never()));
  const run = delivery([{ name: 'telegram', instance: sink.instance }], options, journal);
  return { ...run, sink };
}

/** A new run on the same journal (the "restart"), with a sink that delivers everything. */
function restart(journal: MemoryJournal, options = {}) {
  const sink = scriptedSink();
  const run = delivery([{ name: 'telegram', instance: sink.instance }], options, journal);
  return { ...run, sink };
}

describe('the alert journal', () => {
  it('writes each alert per destination before it is queued, and a merged message marks all its alerts', async () => {
    const journal = new MemoryJournal();
    let release!: () => void;
    const sink = scriptedSink((call) => (call === 0 ? new Promise<void>((r) => (release = r)) : undefined), { destinations: ['chat1', 'chat2'] });
    const { delivery: d } = delivery([{ name: 'telegram', instance: sink.instance }], {}, journal);
    d.deliver(alert(), ['telegram']);
    expect(journal.rows.map((row) => [row.destination, row.state])).toEqual([
      ['chat1', 'pending'],
      ['chat2', 'pending'],
    ]);
    await vi.advanceTimersByTimeAsync(0);
    d.deliver(alert(), ['telegram']); // a2..a4 wait behind a1 on chat1: one merged message
    d.deliver(alert(), ['telegram']);
    d.deliver(alert(), ['telegram']);
    await vi.advanceTimersByTimeAsync(0);
    expect(journal.inState('pending').filter((row) => row.destination === 'chat1')).toHaveLength(4);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(sink.delivered.filter((m) => m.destination === 'chat1').map((m) => m.message)).toEqual([['a1'], ['a2', 'a3', 'a4']]);
    expect(journal.rows).toHaveLength(8);
    expect(journal.inState('pending')).toEqual([]);
    expect(d.stats().journal).toEqual({ state: 'ok', recovered: 0, failures: 0 });
  });

  it('after a kill, a restart sends the pending alerts first, in order, and nothing that was delivered', async () => {
    const journal = new MemoryJournal();
    const killed = killedRun(journal, 1);
    killed.delivery.deliver(alert(), ['telegram']); // a1 delivered
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 0; i < 5; i++) killed.delivery.deliver(alert(), ['telegram']); // a2 in flight at the kill, a3..a6 wait
    await vi.advanceTimersByTimeAsync(0);
    expect(flatten(killed.sink.delivered)).toEqual(['a1']);
    expect(killed.sink.calls.at(-1)).toEqual(['a2']);

    const next = restart(journal);
    next.delivery.deliver(alert(), ['telegram']); // a7: after what the killed run left
    await vi.advanceTimersByTimeAsync(0);
    expect(flatten(next.sink.delivered)).toEqual(['a2', 'a3', 'a4', 'a5', 'a6', 'a7']);
    expect(next.delivery.stats().journal).toMatchObject({ recovered: 5, failures: 0 });
    expect(next.lines.some((l) => l.level === 30 && String(l.msg).includes('sending 5 alert(s) the last run left undelivered for telegram/default'))).toBe(true);
    expect(journal.inState('pending')).toEqual([]);

    // Restarting again resends nothing.
    const third = restart(journal);
    await vi.advanceTimersByTimeAsync(0);
    expect(third.sink.calls).toEqual([]);
  });

  it('folds pending alerts older than delivery.maxAge into one digest that goes first', async () => {
    const journal = new MemoryJournal();
    const killed = killedRun(journal, 0);
    killed.delivery.deliver(alert(200_000), ['telegram']); // a1 in flight at the kill
    killed.delivery.deliver(alert(300_000), ['telegram']);
    await vi.advanceTimersByTimeAsync(50 * 60_000);
    killed.delivery.deliver(alert(), ['telegram']); // a3: 50 min younger
    await vi.advanceTimersByTimeAsync(15 * 60_000); // restart 65 min after a1 and a2, 15 after a3

    const next = restart(journal, { maxAge: '1h' });
    await vi.advanceTimersByTimeAsync(0);
    expect(next.sink.delivered.map((m) => m.message)).toEqual([['digest:2', 'a3']]);
    expect(journal.rows.map((row) => [idOf(row.alert), row.state, row.reason])).toEqual([
      ['a1', 'settled', 'digest'],
      ['a2', 'settled', 'digest'],
      ['a3', 'delivered', undefined],
    ]);
    expect(next.delivery.stats().sinks.telegram?.destinations.default).toMatchObject({ queued: 3, folded: 2, sent: 2, messages: 1 }); // a digest counts as one alert sent, as on overflow
    expect(next.lines.some((l) => String(l.msg).includes('2 older than delivery.maxAge go as one digest'))).toBe(true);
  });

  it('keeps what the shutdown deadline left pending, so the next start sends it', async () => {
    const journal = new MemoryJournal();
    const paced = scriptedSink((call) => (call === 0 ? undefined : new DeliveryError('retryable', 'Too Many Requests', { status: 429, retryAfterMs: 60_000, rateLimited: true })));
    const { delivery: d } = delivery([{ name: 'telegram', instance: paced.instance }], {}, journal);
    d.deliver(alert(), ['telegram']);
    await vi.advanceTimersByTimeAsync(0);
    d.deliver(alert(), ['telegram']);
    d.deliver(alert(), ['telegram']);
    const drained = d.drain(5_000);
    d.deliver(alert(), ['telegram']); // after shutdown began: written, not sent now
    await vi.advanceTimersByTimeAsync(5_000);
    expect((await drained).undelivered).toMatchObject([{ alerts: 2 }]);
    expect(eventIds(journal.inState('pending'))).toEqual(['a2', 'a3', 'a4']);

    const next = restart(journal);
    await vi.advanceTimersByTimeAsync(0);
    expect(flatten(next.sink.delivered)).toEqual(['a2', 'a3', 'a4']);
  });

  it('settles what will never be sent, with the reason', async () => {
    const journal = new MemoryJournal();
    const sink = scriptedSink((_call, message) => (message.includes('a2') ? new DeliveryError('rejected', 'Bad Request: message is too long', { status: 400 }) : undefined));
    const { delivery: d } = delivery([{ name: 'telegram', instance: sink.instance }], {}, journal);
    d.deliver(alert(), ['telegram']);
    d.deliver(alert(), ['telegram']);
    await vi.advanceTimersByTimeAsync(0);
    expect(journal.rows.map((row) => [idOf(row.alert), row.state, row.reason])).toEqual([
      ['a1', 'delivered', undefined],
      ['a2', 'settled', 'rejected'],
    ]);

    const broken = scriptedSink(() => new DeliveryError('fatal', 'Unauthorized', { status: 401 }));
    const second = new MemoryJournal();
    const { delivery: d2 } = delivery([{ name: 'telegram', instance: broken.instance }], {}, second);
    d2.deliver(alert(), ['telegram']);
    d2.deliver(alert(), ['telegram']);
    await vi.advanceTimersByTimeAsync(0);
    d2.deliver(alert(), ['telegram']); // refused by the stopped sink: never written
    expect(second.rows.map((row) => [row.state, row.reason])).toEqual([
      ['settled', 'fatal'],
      ['settled', 'fatal'],
    ]);
  });

  it('settles alerts folded by overflow once their digest is delivered', async () => {
    const journal = new MemoryJournal();
    const killed = killedRun(journal, 0, { queueSize: 2 });
    for (let i = 0; i < 5; i++) killed.delivery.deliver(alert(), ['telegram']); // a1 in flight; a2..a4 fold
    await vi.advanceTimersByTimeAsync(0);
    expect(killed.delivery.stats().sinks.telegram?.destinations.default?.folded).toBe(3);
    expect(journal.inState('pending')).toHaveLength(5); // folded alerts stay pending until their digest goes

    const next = restart(journal, { queueSize: 2 });
    await vi.advanceTimersByTimeAsync(0);
    // Five pending for a queue of two: the restart folds the oldest four again.
    expect(flatten(next.sink.delivered)).toEqual(['digest:4', 'a5']);
    expect(journal.inState('pending')).toEqual([]);
    expect(journal.rows.map((row) => row.reason ?? row.state)).toEqual(['digest', 'digest', 'digest', 'digest', 'delivered']);
  });

  it('settles the alerts an overflow digest holds when that digest is delivered', async () => {
    const journal = new MemoryJournal();
    let release!: () => void;
    const sink = scriptedSink((call) => (call === 0 ? new Promise<void>((r) => (release = r)) : undefined));
    const { delivery: d } = delivery([{ name: 'telegram', instance: sink.instance }], { queueSize: 2 }, journal);
    for (let i = 0; i < 5; i++) d.deliver(alert(), ['telegram']);
    await vi.advanceTimersByTimeAsync(0);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(sink.delivered.map((m) => m.message)).toEqual([['a1'], ['digest:3', 'a5']]);
    expect(journal.rows.map((row) => [idOf(row.alert), row.reason ?? row.state])).toEqual([
      ['a1', 'delivered'],
      ['a2', 'digest'],
      ['a3', 'digest'],
      ['a4', 'digest'],
      ['a5', 'delivered'],
    ]);
  });

  it('drops, with one warning, pending alerts of a sink the config no longer runs', async () => {
    const journal = new MemoryJournal();
    const killed = killedRun(journal, 0);
    killed.delivery.deliver(alert(), ['telegram']);
    const other = scriptedSink();
    const { delivery: d, lines } = delivery([{ name: 'discord', instance: other.instance }], {}, journal);
    await vi.advanceTimersByTimeAsync(0);
    expect(other.calls).toEqual([]);
    expect(journal.rows.map((row) => [row.state, row.reason])).toEqual([['settled', 'gone']]);
    expect(lines.filter((l) => l.level === 40).map((l) => l.msg)).toEqual([
      "1 undelivered alert(s) from the last run were for telegram/default, which this config no longer runs; they are dropped",
    ]);
    expect(d.stats().journal?.recovered).toBe(0);
  });

  it('goes on in memory when the journal fails: counted, said once, and said again when it works', async () => {
    const journal = new MemoryJournal();
    journal.failWith = new Error('SQLITE_FULL: database or disk is full');
    const sink = scriptedSink();
    const { delivery: d, lines } = delivery([{ name: 'telegram', instance: sink.instance }], {}, journal);
    d.deliver(alert(), ['telegram']);
    d.deliver(alert(), ['telegram']);
    await vi.advanceTimersByTimeAsync(0);
    expect(flatten(sink.delivered)).toEqual(['a1', 'a2']);
    const errors = lines.filter((l) => l.level === 50).map((l) => String(l.msg));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('could not read pending alerts from the alert journal (SQLITE_FULL: database or disk is full); delivery goes on in memory');
    expect(d.stats().journal).toMatchObject({ state: 'failed', failures: 3, lastError: 'SQLITE_FULL: database or disk is full' });

    journal.failWith = undefined;
    d.deliver(alert(), ['telegram']);
    await vi.advanceTimersByTimeAsync(0);
    expect(flatten(sink.delivered)).toEqual(['a1', 'a2', 'a3']);
    expect(d.stats().journal).toMatchObject({ state: 'ok', failures: 3 });
    expect(lines.some((l) => l.level === 30 && String(l.msg).includes('the alert journal works again'))).toBe(true);
    expect(journal.rows.map((row) => [idOf(row.alert), row.state])).toEqual([['a3', 'delivered']]);
  });

  it('counts and says the failures a background journal reports, and only its report says it works again', async () => {
    let report: ((failure: { doing: string; error: unknown } | undefined) => void) | undefined;
    const journal = Object.assign(new MemoryJournal(), { watch: (listener: typeof report) => (report = listener) });
    const sink = scriptedSink();
    const { delivery: d, lines } = delivery([{ name: 'telegram', instance: sink.instance }], {}, journal);
    expect(report).toBeDefined();
    report!({ doing: 'write an alert to', error: new Error('SQLITE_FULL: database or disk is full') });
    d.deliver(alert(), ['telegram']); // the call returns: that alone does not mean the journal works again
    await vi.advanceTimersByTimeAsync(0);
    expect(flatten(sink.delivered)).toEqual(['a1']);
    expect(d.stats().journal).toMatchObject({ state: 'failed', failures: 1, lastError: 'SQLITE_FULL: database or disk is full' });
    expect(lines.filter((l) => l.level === 50).map((l) => String(l.msg))).toEqual([
      expect.stringContaining('could not write an alert to the alert journal (SQLITE_FULL: database or disk is full); delivery goes on in memory'),
    ]);
    report!(undefined);
    expect(d.stats().journal).toMatchObject({ state: 'ok', failures: 1 });
    expect(lines.some((l) => l.level === 30 && String(l.msg).includes('the alert journal works again'))).toBe(true);
  });

  it('with a background journal, sends an alert only after its write is committed, never one written later in the same message', async () => {
    const commits: (() => void)[] = [];
    let outstanding = 0;
    const journal = Object.assign(new MemoryJournal(), {
      watch: () => {},
      committed: () => (outstanding === 0 ? undefined : new Promise<void>((resolve) => commits.push(resolve))),
    });
    const write = journal.write.bind(journal);
    journal.write = (alert, targets) => ((outstanding++), write(alert, targets));
    const sink = scriptedSink();
    const { delivery: d } = delivery([{ name: 'telegram', instance: sink.instance }], {}, journal);
    d.deliver(alert(), ['telegram']);
    d.deliver(alert(), ['telegram']); // written while the first one's commit is awaited
    await vi.advanceTimersByTimeAsync(0);
    expect(flatten(sink.delivered)).toEqual([]); // nothing before the commit
    expect(commits).toHaveLength(1);
    outstanding = 1; // the first write is committed, the second not yet
    commits.shift()!();
    await vi.advanceTimersByTimeAsync(0);
    expect(sink.delivered.map((m) => m.message)).toEqual([['a1']]); // a2 waits for its own commit
    expect(commits).toHaveLength(1);
    outstanding = 0;
    commits.shift()!();
    await vi.advanceTimersByTimeAsync(0);
    expect(sink.delivered.map((m) => m.message)).toEqual([['a1'], ['a2']]);
  });
});

describe('alert ids', () => {
  it('gives each alert a deterministic id from its rule, kind and events, and keeps one it has', async () => {
    const sink = scriptedSink();
    const { delivery: d } = delivery([{ name: 'telegram', instance: sink.instance }]);
    const event = liq({ id: 'binance:usdm:BTCUSDT:1:SELL:1:60000' });
    const first: Alert = { kind: 'liquidation', rule: 'majors', events: [event], createdAt: 1 };
    const again: Alert = { kind: 'liquidation', rule: 'majors', events: [event], createdAt: 2 };
    const otherRule: Alert = { kind: 'liquidation', rule: 'all', events: [event], createdAt: 1 };
    const own: Alert = { id: 'mine', kind: 'liquidation', rule: 'majors', events: [event], createdAt: 1 };
    for (const a of [first, again, otherRule, own]) d.deliver(a, ['telegram']);
    expect(first.id).toMatch(/^[0-9a-f]{32}$/);
    expect(again.id).toBe(first.id);
    expect(otherRule.id).not.toBe(first.id);
    expect(own.id).toBe('mine');
    expect(alertId({ ...first, id: undefined })).toBe(first.id);
    // A cooldown fold with the same listed events but more behind them is another alert.
    expect(alertId({ ...first, count: 5, totalUsd: 1 })).not.toBe(first.id);
  });
});
