import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InstanceRunningError } from '../../src/errors.js';
import { InstanceLock, isAlive, lockPathFor, readLock } from '../../src/ops/lock.js';

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
});

async function acquire(file = config): Promise<InstanceLock> {
  const lock = await InstanceLock.acquire(file, { dir: lockDir });
  held.push(lock);
  return lock;
}

/** A process that stays alive until killed: stands for "another liqmon instance". */
async function liveProcess(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
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

const lockFileContent = (pid: number) => JSON.stringify({ pid, token: 'other', config, startedAt: new Date().toISOString() });

describe('instance lock', () => {
  it('refuses a second instance on the same config, naming the holder pid and the lock file', async () => {
    const other = await liveProcess();
    await writeFile(await lockPathFor(config, lockDir), lockFileContent(other));
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

  it('never deletes a lock that is no longer its own', async () => {
    const lock = await acquire();
    const other = await liveProcess();
    await writeFile(lock.file, lockFileContent(other)); // someone replaced it (e.g. removed by hand, then retaken)
    await lock.release();
    expect((await readLock(lock.file))?.info?.pid).toBe(other);
  });

  it('records where the http server listens, for `liqmon status`', async () => {
    const lock = await acquire();
    await lock.setHttp({ host: '127.0.0.1', port: 45678 });
    expect(await readLock(lock.file)).toMatchObject({ stale: false, info: { pid: process.pid, http: { host: '127.0.0.1', port: 45678 } } });
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
