/**
 * Shutdown triggers shared by the long-running commands (`start`, `record`, `replay`): SIGINT,
 * SIGTERM, and the reader of our output going away (EPIPE on stdout or stderr, as in
 * `liqmon start | head`). Without the last one a write to a closed pipe raises an error whose log line
 * is itself a write to a closed pipe: a busy loop that never exits.
 */

/** Why a shutdown began: a signal name, or `EPIPE` when stdout or stderr was closed by its reader. */
export type ShutdownReason = NodeJS.Signals | 'EPIPE';

export interface ShutdownHandlers {
  /** First trigger: begin a graceful stop. */
  first: (reason: ShutdownReason) => void;
  /** Second trigger: give up waiting. */
  second: (reason: ShutdownReason) => void;
}

/** True for the errors a write to a closed pipe raises. */
export function isBrokenPipe(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
}

/** Install the handlers; returns a function that removes them. */
export function onShutdownSignal(handlers: ShutdownHandlers): () => void {
  let received = 0;
  const handle = (reason: ShutdownReason) => {
    received++;
    if (received === 1) handlers.first(reason);
    else if (received === 2) handlers.second(reason);
  };
  let pipeBroken = false;
  const onStreamError = (error: unknown) => {
    // Only the first broken-pipe error counts: later writes fail the same way and mean nothing new.
    if (!isBrokenPipe(error) || pipeBroken) return;
    pipeBroken = true;
    if (received === 0) handle('EPIPE');
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
  process.stdout.on('error', onStreamError);
  process.stderr.on('error', onStreamError);
  return () => {
    process.off('SIGINT', handle);
    process.off('SIGTERM', handle);
    process.stdout.off('error', onStreamError);
    process.stderr.off('error', onStreamError);
  };
}
