/**
 * The store's writer thread (a `worker_threads` worker started by {@link Store}): it owns the
 * connection that writes. Liquidations arrive in batches and are written in transactions of at most
 * {@link CHUNK} rows, one chunk per turn of the thread's event loop; journal changes are written as
 * soon as their message arrives, each group in one transaction, so an alert's record waits for one
 * chunk at most. WAL checkpoints (and their
 * fsync) happen here too, on this connection's commits. Nothing here throws at the main thread:
 * failures go back as messages, counters through the {@link StatusBoard}.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Liquidation } from '@liqmon/core';
import { connect, type StoreDatabase } from '../connection.js';
import { describeFailure } from '../failure.js';
import { OutboxJournal } from '../journal.js';
import { prune } from '../retention.js';
import { StoreWriter } from '../writer.js';
import type { FromWriter, JournalOp, ToWriter, WriterThreadData } from './protocol.js';
import { RowQueue } from './row-queue.js';
import { StatusBoard } from './status-board.js';

/**
 * Rows per transaction: large enough that a commit's fixed cost is spread (tens of microseconds per
 * row at most), small enough that a journal change arriving meanwhile waits a few milliseconds at most.
 */
const CHUNK = 500;

/** Written rows at the head of the queue before the queue is compacted. */
const COMPACT_AFTER = 4 * CHUNK;

const port = parentPort;
if (!port) throw new Error('the store writer runs as a worker thread, started by Store.open');
const data = workerData as WriterThreadData;
const board = new StatusBoard(data.board);
const post = (message: FromWriter) => port.postMessage(message);

let db: StoreDatabase | undefined;
let writer: StoreWriter | undefined;
let journal: OutboxJournal | undefined;
let journalFailed = false;
/** Liquidations received and not yet written, oldest first. */
const queue = new RowQueue<Liquidation>(data.maxBacklog, COMPACT_AFTER);
let draining = false;
let backlogDropped = 0;

try {
  // The main thread opened and migrated the file: connecting is all that is left.
  db = connect(data.file, { busyTimeoutMs: data.busyTimeoutMs });
  for (const pragma of data.pragmas) db.pragma(pragma);
  writer = new StoreWriter({
    db,
    file: data.file,
    // Flushed by the drain loop below; the writer's own timer only backs it up.
    flushEveryMs: data.flushEveryMs,
    maxBatch: Number.MAX_SAFE_INTEGER,
    retryEveryMs: data.retryEveryMs,
    onFailure: (failure, state) => post({ type: 'failed', state, failure }),
    onResume: (missed) => post({ type: 'resumed', missed }),
  });
  journal = new OutboxJournal(db);
  journal.startPruning((error) => post({ type: 'outbox-prune-failed', error: describeFailure(error, data.file, 'prune the outbox of').message }));
  publish();
} catch (error) {
  // The main thread opened the same file a moment ago, so this is rare (the file moved, a lock).
  board.set('off', 0, writerCounts());
  post({ type: 'failed', state: 'off', failure: describeFailure(error, data.file, 'open') });
}

port.on('message', (message: ToWriter) => {
  switch (message.type) {
    case 'rows':
      accept(message.events);
      break;
    case 'journal':
      // At once, before any waiting chunk of rows: delivery waits for this answer before it sends.
      writeJournal(message.ops, message.seq);
      break;
    case 'flush':
      drainAll();
      Atomics.store(message.done, 0, 1);
      Atomics.notify(message.done, 0);
      break;
    case 'prune':
      drainAll(); // rows handed over before the prune are its to judge
      void pruneRows(message.id, message.cutoff);
      break;
    case 'close':
      drainAll();
      journal?.stop();
      writer?.close();
      publish();
      db?.close();
      port.close(); // the thread exits: Store.close waits for that
      break;
  }
});

function accept(events: Liquidation[]): void {
  if (!writer) {
    board.set('off', 0, { ...writerCounts(), other: board.notStored().other + events.length });
    return;
  }
  backlogDropped += queue.push(events);
  schedule();
}

function schedule(): void {
  if (draining) return;
  draining = true;
  setImmediate(drainStep);
}

/** One step of the drain loop: one chunk of rows; again on the next turn (after any journal message) if more wait. */
function drainStep(): void {
  draining = false;
  writeRows(CHUNK);
  publish();
  if (queue.length > 0) schedule();
}

function drainAll(): void {
  while (queue.length > 0) writeRows(CHUNK);
  publish();
}

function writeJournal(ops: readonly JournalOp[], seq: number): void {
  const doing = ops.some((op) => op.op === 'write') ? 'write an alert to' : 'mark alerts in';
  if (!journal) return post({ type: 'journal', seq, doing, error: `the store ${data.file} could not be opened for writing` });
  try {
    journal.apply(ops);
    post({ type: 'journal', seq, ...(journalFailed ? { recovered: true } : {}) });
    journalFailed = false;
  } catch (error) {
    journalFailed = true;
    post({ type: 'journal', seq, doing, error: describeFailure(error, data.file, 'write to').message });
  }
}

function writeRows(max: number): void {
  if (!writer || queue.length === 0) return;
  for (const event of queue.take(max)) writer.write(event);
  writer.flush();
}

async function pruneRows(id: number, cutoff: number): Promise<void> {
  if (!db || !writer || writer.state === 'off') return post({ type: 'pruned', id, deleted: 0 });
  try {
    post({ type: 'pruned', id, deleted: await prune(db, cutoff) });
  } catch (error) {
    post({ type: 'pruned', id, deleted: 0, failure: describeFailure(error, data.file, 'prune') });
  }
}

function writerCounts() {
  const counts = { ...(writer?.notStored ?? board.notStored()) };
  counts.backlog += backlogDropped;
  return counts;
}

function publish(): void {
  board.set(writer?.state ?? 'off', writer?.written ?? 0, writerCounts());
}
