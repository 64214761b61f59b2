/**
 * Where the instance lock lives: a folder only this user can write, so that nobody else can plant a
 * lock, remove ours, or point `liqmon status` anywhere (docs/operations.md, "One instance per config";
 * docs/decisions/operations.md, 2026-12-04). In order, the first that can be used:
 *  1. `.liqmon/` beside the config file: found the same way whatever the environment, so a service and
 *     a shell on the same config see one lock;
 *  2. `$XDG_RUNTIME_DIR/liqmon/` when the config's folder cannot be written (a read-only mount, /etc);
 *  3. `<temp dir>/liqmon-<uid>/` otherwise.
 * liqmon creates the folder with mode 0700 and uses it only if it is a real folder (not a symlink)
 * owned by this user that nobody else can write.
 */
import { createHash } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { InstanceLockError } from '@liqmon/core';

/** The file-system calls the lock makes; tests inject failures (ENOSPC, EROFS) through this. */
export interface LockFs {
  mkdir(dir: string, options: { mode: number }): Promise<unknown>;
  lstat(file: string): Promise<{ isDirectory(): boolean; isSymbolicLink(): boolean; uid: number; mode: number }>;
  stat(file: string): Promise<{ mtimeMs: number }>;
  readFile(file: string, encoding: 'utf8'): Promise<string>;
  writeFile(file: string, data: string, options: { flag: string; mode: number }): Promise<void>;
  link(existing: string, target: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(file: string): Promise<void>;
  /** Removes the lock folder on release when nothing else is in it (fails harmlessly otherwise). */
  rmdir(dir: string): Promise<void>;
}

/** The real file system. */
export const nodeLockFs: LockFs = fsp;

/** Where to look, in order (see the module comment). `env`: the environment (tests). */
export function lockDirCandidates(configReal: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs = [path.join(path.dirname(configReal), '.liqmon')];
  const runtime = env.XDG_RUNTIME_DIR;
  if (runtime && path.isAbsolute(runtime)) dirs.push(path.join(runtime, 'liqmon'));
  dirs.push(path.join(os.tmpdir(), `liqmon-${process.getuid?.() ?? os.userInfo().username}`));
  return dirs;
}

/** Name of the lock file of a config: `liqmon-<config name>-<16 hex of sha256(real path)>.lock`. */
export function lockFileName(configReal: string): string {
  const hash = createHash('sha256').update(configReal).digest('hex').slice(0, 16);
  return `liqmon-${path.basename(configReal).replace(/[^\w.-]/g, '_')}-${hash}.lock`;
}

/** The config's real path (symlinks resolved), so that two paths to one file share one lock. */
export async function realConfigPath(configFile: string): Promise<string> {
  return fsp.realpath(configFile).catch(() => path.resolve(configFile));
}

/** Codes that mean "this folder cannot be created here": try the next candidate. */
const CANNOT_CREATE = new Set(['EROFS', 'EACCES', 'EPERM', 'ENOENT', 'ENOTDIR']);

/**
 * The first usable lock folder, created (0700) if needed.
 * @throws InstanceLockError when a folder exists but is not safe, or none can be created.
 */
export async function prepareLockDir(candidates: readonly string[], fs: LockFs = nodeLockFs): Promise<string> {
  let last: NodeJS.ErrnoException | undefined;
  for (const dir of candidates) {
    try {
      await fs.mkdir(dir, { mode: 0o700 });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (code !== 'EEXIST') {
        if (CANNOT_CREATE.has(code)) {
          last = error as NodeJS.ErrnoException;
          continue;
        }
        throw lockFsError(`Cannot create the lock folder ${dir}`, dir, error);
      }
    }
    await checkPrivate(dir, fs);
    return dir;
  }
  throw lockFsError(`Cannot create a lock folder (tried ${candidates.join(', ')})`, candidates.at(-1) ?? '', last);
}

/** A lock folder must be a real folder of this user that nobody else can write. */
async function checkPrivate(dir: string, fs: LockFs): Promise<void> {
  const info = await fs.lstat(dir).catch((error: unknown) => {
    throw lockFsError(`Cannot use the lock folder ${dir}`, dir, error);
  });
  const uid = process.getuid?.();
  const problem = info.isSymbolicLink()
    ? 'it is a symbolic link'
    : !info.isDirectory()
      ? 'it is not a folder'
      : uid !== undefined && info.uid !== uid
        ? `it belongs to another user (uid ${info.uid}; liqmon runs as uid ${uid})`
        : uid !== undefined && (info.mode & 0o022) !== 0
          ? `other users can write to it (mode ${(info.mode & 0o777).toString(8)})`
          : undefined;
  if (problem) {
    throw new InstanceLockError(
      `Refusing to keep the instance lock in ${dir}: ${problem}.`,
      `Run every liqmon of this config as the user that owns ${dir}, or remove it (liqmon creates it again, mode 0700).`,
    );
  }
}

const REASONS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EIO: 'input/output error',
};

/** One clear line for a file-system failure around the lock, and what to do about it. */
export function lockFsError(what: string, where: string, cause: unknown): InstanceLockError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const reason = code ? `${REASONS[code] ?? 'failed'} (${code})` : cause instanceof Error ? cause.message : 'failed';
  const fix =
    code === 'ENOSPC' || code === 'EDQUOT'
      ? `Free some space on the file system of ${where}, then start again.`
      : `Make ${where} writable by this user (the lock folder is described in docs/operations.md, "One instance per config").`;
  return new InstanceLockError(`${what}: ${reason}.`, fix, cause);
}
