/**
 * The store's checkpoint thread: copies the WAL back into the database file (a PASSIVE checkpoint,
 * which runs beside the writer's commits and never blocks them) every {@link CheckpointThreadData.everyMs}.
 * A checkpoint ends with an fsync of the file, tens of milliseconds on a busy disk: here, rather than
 * inside one of the writer thread's commits, where an alert's journal record would wait for it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { connect } from '../connection.js';

/** What the checkpoint thread is started with (`workerData`). */
export interface CheckpointThreadData {
  file: string;
  everyMs: number;
}

const port = parentPort;
if (!port) throw new Error('the store checkpointer runs as a worker thread, started by Store.open');
const data = workerData as CheckpointThreadData;
// A small cache: a checkpoint reads WAL frames and writes database pages, it keeps none.
const db = connect(data.file, { cacheKiB: 256 });
let failed = false;
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    failed = false;
  } catch (error) {
    // Said once per run of failures; the next period tries again.
    if (!failed) port.postMessage({ type: 'checkpoint-failed', error: error instanceof Error ? error.message : String(error) });
    failed = true;
  }
}, data.everyMs);
port.on('message', (message: 'close') => {
  if (message !== 'close') return;
  clearInterval(timer);
  db.close();
  port.close();
});
