/**
 * One `liqmon start` per config file on one machine. The lock is a small JSON file, named after a hash
 * of the config's real path (two paths to the same file share one lock), in a folder only this user
 * can write (lock-location.ts: `.liqmon/` beside the config, else `$XDG_RUNTIME_DIR/liqmon/`, else
 * `<temp>/liqmon-<uid>/`). Protocol (docs/decisions/operations.md):
 *  - take: write the whole lock to a temporary name, then hard-link it to the lock name (atomic, and
 *    fails if the lock exists: exactly one process wins) and remove the temporary name. A full or
 *    read-only disk fails before anything is visible, so no empty or half-written lock is ever left;
 *  - held by the process that wrote it (lock-holder.ts: alive, and where /proc tells, the same process
 *    by boot and start time): refuse with its pid;
 *  - stale (the process is gone, or the pid now belongs to another process): rename it aside (atomic:
 *    one racer wins, the others see ENOENT), make sure what was moved is still the stale one, delete
 *    it, and link ours again;
 *  - release: delete the file only while it is still ours (our token inside).
 * Every file-system failure becomes one InstanceLockError line (exit 1), never a stack trace.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, rmdirSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { InstanceLockError, InstanceRunningError, isLiqmonError } from '@liqmon/core';
import { isLockHolder, processIdentity, type ProcessIdentity } from './lock-holder.js';
import { lockDirCandidates, lockFileName, lockFsError, nodeLockFs, prepareLockDir, realConfigPath, type LockFs } from './lock-location.js';

export { isAlive } from './lock-holder.js';

/** What the lock file holds. Nothing in it is trusted beyond telling a live holder from a stale one. */
export interface LockInfo {
  pid: number;
  /** Random per process: tells our lock from another process's with a reused pid. */
  token: string;
  /** Absolute real path of the config file. */
  config: string;
  /** ISO time the lock was taken. */
  startedAt: string;
  /** Where /proc exists: which process exactly (boot id and start time), to detect a reused pid. */
  proc?: ProcessIdentity;
}

/** Lock files this process holds or is taking: a second acquire in the same process is refused too. */
const reserved = new Set<string>();
/** Tokens of the locks this process holds: its own pid with another token is a stale lock. */
const ownTokens = new Set<string>();

/** How often to retry the take-over dance when other processes race us. */
const ATTEMPTS = 5;
/** A lock file that is empty or unreadable for this long was left by a crash mid-write (older versions). */
const UNREADABLE_GRACE_MS = 2_000;

/** Where to take or look for a lock: a given folder (tests), else the folders of lock-location.ts. */
export interface LockPlace {
  /** Use this folder (it must still be private to this user). */
  dir?: string;
  /** Environment for `$XDG_RUNTIME_DIR`. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** File-system calls (tests inject failures). */
  fs?: LockFs;
}

/**
 * Path of the lock file of a config: in `dir` when given; else where one exists now, else in the first
 * candidate folder. Creates nothing (`liqmon status` and messages use it).
 */
export async function lockPathFor(configFile: string, dir?: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const real = await realConfigPath(configFile);
  const name = lockFileName(real);
  if (dir !== undefined) return path.join(dir, name);
  const candidates = lockDirCandidates(real, env).map((candidate) => path.join(candidate, name));
  for (const file of candidates) if (await nodeLockFs.stat(file).then(() => true, () => false)) return file;
  return candidates[0]!;
}

/**
 * The holder recorded in a lock file; undefined when there is no file. `stale` is true when no live
 * process holds it (gone, another process now has its pid, unreadable for long, or our own pid without
 * our token: after a container restart the new process can get the crashed one's pid, often 1).
 */
export async function readLock(file: string, fs: LockFs = nodeLockFs): Promise<{ info: LockInfo | undefined; stale: boolean } | undefined> {
  for (let tries = 0; ; tries++) {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const info = parseLock(text);
    if (info) return { info, stale: info.pid === process.pid ? !ownTokens.has(info.token) : !(await isLockHolder(info.pid, info.proc)) };
    // Empty or half-written: written by hand, or by an older liqmon that crashed mid-write.
    const age = await fs.stat(file).then((s) => Date.now() - s.mtimeMs, () => Number.POSITIVE_INFINITY);
    if (age > UNREADABLE_GRACE_MS || tries >= 20) return { info: undefined, stale: true };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function parseLock(text: string): LockInfo | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockInfo> | null;
    if (typeof value?.pid !== 'number' || typeof value.token !== 'string') return undefined;
    const proc = value.proc;
    const identity = typeof proc?.boot === 'string' && typeof proc.start === 'string' ? { boot: proc.boot, start: proc.start } : undefined;
    return { pid: value.pid, token: value.token, config: String(value.config ?? ''), startedAt: String(value.startedAt ?? ''), ...(identity ? { proc: identity } : {}) };
  } catch {
    return undefined;
  }
}

/** A lock held by this process. */
export class InstanceLock {
  #released = false;
  readonly #onExit = () => this.releaseSync();

  private constructor(
    /** Path of the lock file. */
    readonly file: string,
    private readonly info: LockInfo,
    /** Pid of a crashed instance whose stale lock was taken over, if any. */
    readonly tookOverFrom: number | undefined,
    private readonly fs: LockFs,
  ) {
    // Last resort for exits that skip `release()` (process.exit from elsewhere): sync unlink on exit.
    process.once('exit', this.#onExit);
  }

  /**
   * Take the lock of `configFile`.
   * @throws InstanceRunningError when a live process holds it.
   * @throws InstanceLockError when the lock folder or file cannot be written (one line, nothing left behind).
   */
  static async acquire(configFile: string, options: LockPlace = {}): Promise<InstanceLock> {
    const fs = options.fs ?? nodeLockFs;
    const real = await realConfigPath(configFile);
    const dir = await prepareLockDir(options.dir !== undefined ? [options.dir] : lockDirCandidates(real, options.env), fs);
    const file = path.join(dir, lockFileName(real));
    if (reserved.has(file)) throw new InstanceRunningError(process.pid, file);
    reserved.add(file);
    try {
      return await InstanceLock.#take(file, real, fs);
    } catch (error) {
      reserved.delete(file);
      if (isLiqmonError(error)) throw error;
      throw lockFsError(`Cannot take the instance lock ${file}`, path.dirname(file), error);
    }
  }

  static async #take(file: string, config: string, fs: LockFs): Promise<InstanceLock> {
    const proc = await processIdentity(process.pid);
    const info: LockInfo = { pid: process.pid, token: randomUUID(), config, startedAt: new Date().toISOString(), ...(proc ? { proc } : {}) };
    // The whole lock under a name of its own first: if the disk is full, only this file is involved.
    const temp = `${file}.${info.token}.tmp`;
    try {
      await fs.writeFile(temp, `${JSON.stringify(info)}\n`, { flag: 'wx', mode: 0o600 });
      let tookOverFrom: number | undefined;
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        try {
          await fs.link(temp, file);
          ownTokens.add(info.token);
          return new InstanceLock(file, info, tookOverFrom, fs);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        }
        const holder = await readLock(file, fs);
        if (!holder) continue; // released meanwhile: try again
        if (!holder.stale && holder.info) throw new InstanceRunningError(holder.info.pid, file);
        const moved = await moveAsideIfStale(file, fs);
        if (moved !== undefined) tookOverFrom = moved;
      }
      throw new InstanceLockError(`Could not take the instance lock ${file}: other processes keep changing it.`, 'Try again in a moment.');
    } finally {
      await fs.unlink(temp).catch(() => undefined);
    }
  }

  /** Delete the lock file if it is still ours. Safe to call twice; never throws. */
  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    process.off('exit', this.#onExit);
    if (await this.#stillOurs()) {
      await this.fs.unlink(this.file).catch(() => undefined);
      // A `.liqmon/` folder that only held this lock goes with it, so a stopped instance leaves no trace
      // beside its config; one that holds anything else (another config's lock) stays.
      await this.fs.rmdir(path.dirname(this.file)).catch(() => undefined);
    }
    reserved.delete(this.file);
    ownTokens.delete(this.info.token);
  }

  /** Synchronous release, for `process.on('exit')`. */
  releaseSync(): void {
    if (this.#released) return;
    this.#released = true;
    reserved.delete(this.file);
    ownTokens.delete(this.info.token);
    try {
      if (parseLock(readFileSync(this.file, 'utf8'))?.token === this.info.token) {
        unlinkSync(this.file);
        rmdirSync(path.dirname(this.file));
      }
    } catch {
      // Gone already, or unreadable: nothing of ours to remove.
    }
  }

  async #stillOurs(): Promise<boolean> {
    const text = await this.fs.readFile(this.file, 'utf8').catch(() => '');
    return parseLock(text)?.token === this.info.token;
  }
}

/**
 * Move a stale lock out of the way. Renaming is atomic, so of several processes taking over at once
 * only one moves the file. If what got moved turns out to be a live lock (another process took over
 * between our read and our rename), it is linked back (link fails rather than overwrite) and the
 * caller's next attempt sees it. Returns the stale holder's pid when one was removed.
 */
async function moveAsideIfStale(file: string, fs: LockFs): Promise<number | undefined> {
  const aside = `${file}.stale-${process.pid}-${randomUUID()}`;
  try {
    await fs.rename(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const moved = await readLock(aside, fs);
  if (moved && !moved.stale) {
    await fs.link(aside, file).catch(() => undefined);
    await fs.unlink(aside).catch(() => undefined);
    return undefined;
  }
  await fs.unlink(aside).catch(() => undefined);
  return moved?.info?.pid;
}
