import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { mkdtemp, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InstanceLockError, InstanceRunningError } from '@liqmon/core';
import { processIdentity } from '../../src/ops/lock-holder.js';
import type { LockFs } from '../../src/ops/lock-location.js';
import { InstanceLock, isAlive, lockPathFor, readLock } from '../../src/ops/lock.js';

const linux = process.platform === 'linux';

let dir: string;
let lockDir: string;
let config: string;
const children: ChildProcess[] = [];
const held: InstanceLock[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'liqmon-lock-'));
  lockDir = await mkdtemp(join(tmpdir(), 'liqmon-lockdir-'));
  config = join(dir, 'config.yaml');
  await writeFile(config, 'sources: {}\n');
});
afterEach(async () => {
  for (const lock of held.splice(0)) await lock.release();
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const folder of [dir, lockDir]) rmSync(folder, { recursive: true, force: true });
});

async function acquire(file = config): Promise<InstanceLock> {
  const lock = await InstanceLock.acquire(file, { dir: lockDir });
  held.push(lock);
  return lock;
}

/** A process that stays alive until killed; `args` end up in its command line. */
async function liveProcess(...args: string[]): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', ...args], { stdio: 'ignore' });
  children.push(child);
  await new Promise((resolve) => child.once('spawn', resolve));
  return child.pid!;
}

/** The pid of a process that has exited: stands for "an instance that crashed". */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

const lockFileContent = (pid: number, extra: object = {}) => JSON.stringify({ pid, token: 'other', config, startedAt: new Date().toISOString(), ...extra });

/** The lock another live liqmon would have written: its pid and, where /proc exists, its identity. */
async function liveLiqmonLock(pid: number): Promise<string> {
  const proc = await processIdentity(pid);
  return lockFileContent(pid, proc ? { proc } : {});
}

describe('instance lock', () => {
  it('refuses a second instance on the same config, naming the holder pid and the lock file', async () => {
    const other = await liveProcess();
    await writeFile(await lockPathFor(config, lockDir), await liveLiqmonLock(other));
    const error = await InstanceLock.acquire(config, { dir: lockDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InstanceRunningError);
    expect((error as Error).message).toBe(`Another liqmon instance (pid ${other}) is already running on this config.`);
    expect((error as InstanceRunningError).hint).toContain(await lockPathFor(config, lockDir));
  });

  it('refuses a second acquire in the same process too', async () => {
    await acquire();
    await expect(InstanceLock.acquire(config, { dir: lockDir })).rejects.toThrow(`(pid ${process.pid})`);
  });

  it('takes over the stale lock of a crashed instance and says whose it was', async () => {
    const dead = await deadPid();
    expect(isAlive(dead)).toBe(false);
    const file = await lockPathFor(config, lockDir);
    await writeFile(file, lockFileContent(dead));
    const lock = await acquire();
    expect(lock.tookOverFrom).toBe(dead);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ pid: process.pid });
    expect(await readdir(lockDir)).toEqual([file.slice(lockDir.length + 1)]); // nothing left aside
  });

  it('of several takes at once, exactly one wins', async () => {
    await writeFile(await lockPathFor(config, lockDir), lockFileContent(await deadPid()));
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => InstanceLock.acquire(config, { dir: lockDir })));
    const won = results.filter((r): r is PromiseFulfilledResult<InstanceLock> => r.status === 'fulfilled').map((r) => r.value);
    held.push(...won);
    expect(won).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason)).toEqual(
      Array.from({ length: 4 }, () => expect.any(InstanceRunningError)),
    );
  });

  it('takes over a lock left empty by a crash between create and write, once it is old', async () => {
    const file = await lockPathFor(config, lockDir);
    await writeFile(file, '');
    const { utimes } = await import('node:fs/promises');
    await utimes(file, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    const lock = await acquire();
    expect(lock.file).toBe(file);
  });

  it('treats its own pid without its token as stale (a restarted container gets the crashed pid again)', async () => {
    await writeFile(await lockPathFor(config, lockDir), lockFileContent(process.pid));
    expect((await acquire()).tookOverFrom).toBe(process.pid);
  });

  it('releases on stop, after which another instance can start; releasing twice is harmless', async () => {
    const lock = await acquire();
    await lock.release();
    await lock.release();
    expect(await readLock(lock.file)).toBeUndefined();
    const again = await acquire();
    expect(again.file).toBe(lock.file);
  });

  it('removes the .liqmon folder beside the config on release when the lock was all it held', async () => {
    const lock = await InstanceLock.acquire(config, { env: {} });
    expect(lock.file.startsWith(join(dir, '.liqmon'))).toBe(true);
    await lock.release();
    expect(await readdir(dir)).toEqual(['config.yaml']);

    const kept = await InstanceLock.acquire(config, { env: {} });
    await writeFile(join(dir, '.liqmon', 'other.lock'), 'x');
    await kept.release();
    expect(await readdir(join(dir, '.liqmon'))).toEqual(['other.lock']);
  });

  it('never deletes a lock that is no longer its own', async () => {
    const lock = await acquire();
    const other = await liveProcess();
    await writeFile(lock.file, await liveLiqmonLock(other)); // someone replaced it (e.g. removed by hand, then retaken)
    await lock.release();
    expect((await readLock(lock.file))?.info?.pid).toBe(other);
  });

  it('records no address (`liqmon status` takes it from the config), only who holds it', async () => {
    const lock = await acquire();
    const written = JSON.parse(await readFile(lock.file, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(written).sort()).toEqual(linux ? ['config', 'pid', 'proc', 'startedAt', 'token'] : ['config', 'pid', 'startedAt', 'token']);
    expect((await stat(lock.file)).mode & 0o777).toBe(0o600);
  });

  it('is one lock per config file: the same file through a symlink shares it, another config does not', async () => {
    const link = join(dir, 'link.yaml');
    await symlink(config, link);
    expect(await lockPathFor(link, lockDir)).toBe(await lockPathFor(config, lockDir));
    const otherConfig = join(dir, 'other.yaml');
    await writeFile(otherConfig, '');
    await acquire();
    await expect(acquire(otherConfig)).resolves.toBeInstanceOf(InstanceLock);
    expect(await lockPathFor(config, lockDir)).toMatch(/liqmon-config\.yaml-[0-9a-f]{16}\.lock$/);
  });
});

describe('instance lock: where it lives', () => {
  const made: string[] = [];
  afterEach(() => {
    for (const folder of made.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  /** Real file system, except that creating `.liqmon` fails with `code` (a read-only config folder). */
  const readOnlyConfigFolder = (code: string): LockFs => ({
    ...fsp,
    mkdir: async (folder, options) => {
      if (folder.endsWith('.liqmon')) throw Object.assign(new Error(`${code}: mkdir '${folder}'`), { code });
      return fsp.mkdir(folder, options);
    },
  });

  it('in a `.liqmon/` folder beside the config, created for this user only (0700)', async () => {
    const lock = await InstanceLock.acquire(config, { env: {} });
    held.push(lock);
    expect(lock.file).toBe(join(dir, '.liqmon', (await lockPathFor(config, lockDir)).slice(lockDir.length + 1)));
    expect((await stat(join(dir, '.liqmon'))).mode & 0o777).toBe(0o700);
    expect(await lockPathFor(config)).toBe(lock.file); // where `liqmon status` looks
  });

  it('in $XDG_RUNTIME_DIR/liqmon/ when the config folder is read-only, else in <temp>/liqmon-<uid>/', async () => {
    const runtime = await mkdtemp(join(tmpdir(), 'liqmon-xdg-'));
    made.push(runtime);
    const lock = await InstanceLock.acquire(config, { env: { XDG_RUNTIME_DIR: runtime }, fs: readOnlyConfigFolder('EROFS') });
    held.push(lock);
    expect(lock.file.startsWith(join(runtime, 'liqmon', 'liqmon-config.yaml-'))).toBe(true);
    await lock.release();

    const fallback = join(tmpdir(), `liqmon-${process.getuid?.() ?? ''}`);
    made.push(fallback);
    const next = await InstanceLock.acquire(config, { env: {}, fs: readOnlyConfigFolder('EACCES') });
    held.push(next);
    expect(next.file.startsWith(join(fallback, 'liqmon-config.yaml-'))).toBe(true);
    expect((await stat(fallback)).mode & 0o777).toBe(0o700);
  });

  it('refuses a lock folder that is a symlink, not a folder, or belongs to another user: one clear line', async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), 'liqmon-elsewhere-'));
    made.push(elsewhere);
    await symlink(elsewhere, join(dir, '.liqmon'));
    const linked = await InstanceLock.acquire(config, { env: {} }).catch((e: unknown) => e);
    expect(linked).toBeInstanceOf(InstanceLockError);
    expect((linked as Error).message).toBe(`Refusing to keep the instance lock in ${join(dir, '.liqmon')}: it is a symbolic link.`);
    expect(await readdir(elsewhere)).toEqual([]);

    const foreign: LockFs = { ...fsp, lstat: async (file) => Object.assign(await fsp.lstat(file), { uid: 4242 }) };
    const error = await InstanceLock.acquire(config, { dir: lockDir, fs: foreign }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InstanceLockError);
    expect((error as Error).message).toMatch(new RegExp(`^Refusing to keep the instance lock in ${lockDir}: it belongs to another user \\(uid 4242; liqmon runs as uid \\d+\\)\\.$`));
  });
});

describe('instance lock: a live pid that is not the liqmon that wrote the lock', () => {
  it.runIf(linux)('takes over a lock naming a live process that is not liqmon (as a planted lock naming pid 1)', async () => {
    const notLiqmon = await liveProcess();
    await writeFile(await lockPathFor(config, lockDir), lockFileContent(notLiqmon));
    expect((await acquire()).tookOverFrom).toBe(notLiqmon);
  });

  it.runIf(linux)('takes over a lock whose pid now belongs to a process started at another time (pid reused)', async () => {
    const other = await liveProcess('liqmon');
    const proc = await processIdentity(other);
    await writeFile(await lockPathFor(config, lockDir), lockFileContent(other, { proc: { ...proc, start: '1' } }));
    expect((await acquire()).tookOverFrom).toBe(other);
  });

  it('refuses a lock without a recorded identity whose live process is a liqmon', async () => {
    const other = await liveProcess('liqmon');
    await writeFile(await lockPathFor(config, lockDir), lockFileContent(other));
    await expect(InstanceLock.acquire(config, { dir: lockDir })).rejects.toThrow(`(pid ${other})`);
  });
});

describe('instance lock: disk failures', () => {
  /** Real file system, except that one call fails with `code` (after writing half of the data, for writeFile). */
  const failing = (call: 'writeFile' | 'link' | 'rename', code: string): LockFs => ({
    ...fsp,
    [call]: async (...args: [string, string, { flag: string; mode: number }]) => {
      if (call === 'writeFile') await fsp.writeFile(args[0], args[1].slice(0, args[1].length / 2), args[2]);
      throw Object.assign(new Error(`${code}: ${call} '${args[0]}'`), { code });
    },
  });

  it.each([
    ['writeFile', 'ENOSPC', 'no space left on the device (ENOSPC)', 'Free some space'],
    ['writeFile', 'EROFS', 'the file system is read-only (EROFS)', 'writable by this user'],
    ['link', 'EDQUOT', 'disk quota exceeded (EDQUOT)', 'Free some space'],
  ] as const)('%s failing with %s: one line, exit-1 error, and no lock or temporary file left', async (call, code, reason, fix) => {
    const error = await InstanceLock.acquire(config, { dir: lockDir, fs: failing(call, code) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InstanceLockError);
    const file = await lockPathFor(config, lockDir);
    expect((error as InstanceLockError).message).toBe(`Cannot take the instance lock ${file}: ${reason}.`);
    expect((error as InstanceLockError).hint).toContain(fix);
    expect(await readdir(lockDir)).toEqual([]);
    // Nothing is held: a later start with a working disk takes the lock.
    await expect(acquire()).resolves.toBeInstanceOf(InstanceLock);
  });

  it("a stale lock that cannot be moved (another user's, EPERM) is one clear line too", async () => {
    await writeFile(await lockPathFor(config, lockDir), lockFileContent(await deadPid()));
    const error = await InstanceLock.acquire(config, { dir: lockDir, fs: failing('rename', 'EPERM') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InstanceLockError);
    expect((error as Error).message).toBe(`Cannot take the instance lock ${await lockPathFor(config, lockDir)}: operation not permitted (EPERM).`);
    expect((await readdir(lockDir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

});
