/** SIGINT/SIGTERM handling shared by the long-running commands (`start`, `record`, `replay`). */

export interface ShutdownHandlers {
  /** First signal: begin a graceful stop. */
  first: (signal: NodeJS.Signals) => void;
  /** Second signal: give up waiting. */
  second: (signal: NodeJS.Signals) => void;
}

/** Install handlers for SIGINT and SIGTERM; returns a function that removes them. */
export function onShutdownSignal(handlers: ShutdownHandlers): () => void {
  let received = 0;
  const handle = (signal: NodeJS.Signals) => {
    received++;
    if (received === 1) handlers.first(signal);
    else if (received === 2) handlers.second(signal);
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
  return () => {
    process.off('SIGINT', handle);
    process.off('SIGTERM', handle);
  };
}
