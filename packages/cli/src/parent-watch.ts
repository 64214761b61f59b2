/**
 * Stop with the npm wrapper. `npx liqmon ...` and `npm start` run liqmon as
 * `npm -> sh -c liqmon ... -> node`: npm forwards SIGINT/SIGTERM to the shell only, the shell dies
 * without passing them on, and liqmon is left running under init with nobody to stop it. So when npm
 * launched us (it sets `npm_command`) and our parent goes away, we send ourselves SIGTERM: the command
 * stops as it would on the signal (a recording keeps what it wrote, `start` drains its queues).
 *
 * Only under npm: a liqmon started directly and left to run when its shell exits (`nohup liqmon start &`)
 * is meant to outlive its parent.
 */

/** How often the parent is checked. */
const CHECK_EVERY_MS = 500;

export interface ParentWatchOptions {
  /** Environment to read `npm_command` from. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Our parent's pid now. @default process.ppid (read on every check) */
  parentPid?: () => number;
  /** What to do once the parent is gone. @default send SIGTERM to this process */
  onOrphaned?: () => void;
}

/**
 * Watch the parent process when launched by npm. Returns a function that stops watching. The timer
 * is unref'd: it never keeps a finished command alive.
 */
export function stopWithNpmWrapper(options: ParentWatchOptions = {}): () => void {
  const env = options.env ?? process.env;
  if (env.npm_command === undefined) return () => {};
  const parentPid = options.parentPid ?? (() => process.ppid);
  const onOrphaned = options.onOrphaned ?? (() => process.kill(process.pid, 'SIGTERM'));
  const original = parentPid();
  const timer = setInterval(() => {
    // Reparenting (to init or a subreaper) is how the kernel tells a child that its parent died.
    if (parentPid() === original) return;
    clearInterval(timer);
    onOrphaned();
  }, CHECK_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
