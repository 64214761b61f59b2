/**
 * One `liqmon start` per config file on one machine. The lock is a small JSON file in the OS temp
 * folder, named after a hash of the config's real path, so that the config folder may stay read-only
 * (a Docker `:ro` mount, `/etc/liqmon` owned by root) and two paths to the same file (symlinks) share
 * one lock. Protocol (docs/decisions/operations.md):
 *  - take: create the file atomically with the `wx` flag (O_CREAT|O_EXCL: exactly one process wins);
 *  - held by a live process (`process.kill(pid, 0)` succeeds, or fails with EPERM): refuse with its pid;
 *  - stale (the process is gone): rename it aside (atomic: one racer wins, the others see ENOENT), make
 *    sure what was moved is still the stale one, delete it, and create ours with `wx` again;
 *  - release: delete the file only while it is still ours (our token inside).
 */
import { createHash, randomUUID } from 'node:crypto';
import { unlinkSync, readFileSync } from 'node:fs';
import { link, readFile, realpath, rename, stat, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { InstanceRunningError } from '../errors.js';

/** What the lock file holds. */
export interface LockInfo {
  pid: number;
  /** Random per process: tells our lock from another process's with a reused pid. */
  token: string;
  /** Absolute real path of the config file. */
  config: string;
  /** ISO time the lock was taken. */
  startedAt: string;
  /** Where the operations server listens, once bound (`liqmon status` reads it, so port 0 works). */
  http?: { host: string; port: number };
}

/** Lock files this process holds or is taking: a second acquire in the same process is refused too. */
const reserved = new Set<string>();
/** Tokens of the locks this process holds: its own pid with another token is a stale lock. */
const ownTokens = new Set<string>();

/** How often to retry the take-over dance when other processes race us. */
const ATTEMPTS = 5;
/** A lock file that is empty or unreadable for this long was left by a crash mid-write. */
const UNREADABLE_GRACE_MS = 2_000;

/** Lock file for a config: `<tmp>/liqmon-<config name>-<16 hex of sha256(real path)>.lock`. */
export async function lockPathFor(configFile: string, dir: string = os.tmpdir()): Promise<string> {
  const real = await realpath(configFile).catch(() => path.resolve(configFile));
  const hash = createHash('sha256').update(real).digest('hex').slice(0, 16);
  const name = path.basename(real).replace(/[^\w.-]/g, '_');
  return path.join(dir, `liqmon-${name}-${hash}.lock`);
}

/** True when a process with this pid exists (EPERM: it exists but belongs to another user). */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The holder recorded in a lock file; undefined when there is no file. `stale` is true when no live
 * process holds it (gone, unreadable for long, or our own pid without our token: after a container
 * restart the new process can get the crashed one's pid, often 1).
 */
export async function readLock(file: string): Promise<{ info: LockInfo | undefined; stale: boolean } | undefined> {
  for (let tries = 0; ; tries++) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const info = parseLock(text);
    if (info) return { info, stale: info.pid === process.pid ? !ownTokens.has(info.token) : !isAlive(info.pid) };
    // Empty or half-written: a writer between create and write, or a crash right there.
    const age = await stat(file).then((s) => Date.now() - s.mtimeMs, () => Number.POSITIVE_INFINITY);
    if (age > UNREADABLE_GRACE_MS || tries >= 20) return { info: undefined, stale: true };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function parseLock(text: string): LockInfo | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockInfo> | null;
    if (typeof value?.pid !== 'number' || typeof value.token !== 'string') return undefined;
    return value as LockInfo;
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
    private info: LockInfo,
    /** Pid of a crashed instance whose stale lock was taken over, if any. */
    readonly tookOverFrom: number | undefined,
  ) {
    // Last resort for exits that skip `release()` (process.exit from elsewhere): sync unlink on exit.
    process.once('exit', this.#onExit);
  }

  /**
   * Take the lock of `configFile`.
   * @throws InstanceRunningError when a live process holds it.
   */
  static async acquire(configFile: string, options: { dir?: string } = {}): Promise<InstanceLock> {
    const file = await lockPathFor(configFile, options.dir);
    if (reserved.has(file)) throw new InstanceRunningError(process.pid, file);
    reserved.add(file);
    try {
      return await InstanceLock.#take(file, configFile);
    } catch (error) {
      reserved.delete(file);
      throw error;
    }
  }

  static async #take(file: string, configFile: string): Promise<InstanceLock> {
    const info: LockInfo = {
      pid: process.pid,
      token: randomUUID(),
      config: await realpath(configFile).catch(() => path.resolve(configFile)),
      startedAt: new Date().toISOString(),
    };
    let tookOverFrom: number | undefined;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        await writeFile(file, JSON.stringify(info), { flag: 'wx', mode: 0o644 });
        ownTokens.add(info.token);
        return new InstanceLock(file, info, tookOverFrom);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = await readLock(file);
      if (!holder) continue; // released meanwhile: try again
      if (!holder.stale && holder.info) throw new InstanceRunningError(holder.info.pid, file);
      const moved = await moveAsideIfStale(file);
      if (moved !== undefined) tookOverFrom = moved;
    }
    throw new Error(`could not take the instance lock ${file}: other processes keep changing it; try again`);
  }

  /** Record where the operations server listens (read by `liqmon status`). */
  async setHttp(http: { host: string; port: number }): Promise<void> {
    if (this.#released) return;
    this.info = { ...this.info, http };
    // Write aside and rename over: a reader never sees a half-written lock.
    const temp = `${this.file}.${this.info.token}.tmp`;
    await writeFile(temp, JSON.stringify(this.info), { mode: 0o644 });
    if (await this.#stillOurs()) await rename(temp, this.file);
    else await unlink(temp).catch(() => undefined);
  }

  /** Delete the lock file if it is still ours. Safe to call twice. */
  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    process.off('exit', this.#onExit);
    if (await this.#stillOurs()) await unlink(this.file).catch(() => undefined);
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
      if (parseLock(readFileSync(this.file, 'utf8'))?.token === this.info.token) unlinkSync(this.file);
    } catch {
      // Gone already, or unreadable: nothing of ours to remove.
    }
  }

  async #stillOurs(): Promise<boolean> {
    const text = await readFile(this.file, 'utf8').catch(() => '');
    return parseLock(text)?.token === this.info.token;
  }
}

/**
 * Move a stale lock out of the way. Renaming is atomic, so of several processes taking over at once
 * only one moves the file. If what got moved turns out to be a live lock (another process took over
 * between our read and our rename), it is linked back (link fails rather than overwrite) and the
 * caller's next attempt sees it. Returns the stale holder's pid when one was removed.
 */
async function moveAsideIfStale(file: string): Promise<number | undefined> {
  const aside = `${file}.stale-${process.pid}-${randomUUID()}`;
  try {
    await rename(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const moved = await readLock(aside);
  if (moved && !moved.stale) {
    await link(aside, file).catch(() => undefined);
    await unlink(aside).catch(() => undefined);
    return undefined;
  }
  await unlink(aside).catch(() => undefined);
  return moved?.info?.pid;
}
