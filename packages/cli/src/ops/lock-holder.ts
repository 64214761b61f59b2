/**
 * Is the process a lock names still the liqmon that took it? A pid alone cannot say: after a crash,
 * a reboot or a container restart the pid can belong to an unrelated process (often pid 1). Where
 * /proc exists (Linux), the lock records the boot id and the process start time, and a lock whose pid
 * now belongs to a process started at another time is stale. Decision and reasons:
 * docs/decisions/operations.md (2026-12-04).
 */
import { readFile } from 'node:fs/promises';

/** Which process, exactly: the boot and the start time since boot (in clock ticks). */
export interface ProcessIdentity {
  boot: string;
  start: string;
}

/** The identity of a live process, or undefined where /proc cannot tell (not Linux, hidden, gone). */
export async function processIdentity(pid: number): Promise<ProcessIdentity | undefined> {
  try {
    const [boot, stat] = await Promise.all([readFile('/proc/sys/kernel/random/boot_id', 'utf8'), readFile(`/proc/${pid}/stat`, 'utf8')]);
    // `pid (comm) state ppid ...`: comm may hold spaces and parentheses, so count fields after the last `)`.
    // Field 22 (starttime) is the 20th after comm.
    const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    return start ? { boot: boot.trim(), start } : undefined;
  } catch {
    return undefined;
  }
}

/** The command line of a live process, or undefined where /proc cannot tell. */
async function commandLine(pid: number): Promise<string | undefined> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' ');
  } catch {
    return undefined;
  }
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
 * True when the live process `pid` is the one that wrote a lock recording `recorded`:
 *  - no such process: false;
 *  - /proc can tell and the lock recorded an identity: true only for the same boot and start time;
 *  - /proc can tell but the lock recorded none (written by hand, or by a liqmon without /proc): true
 *    only if the process's command line mentions liqmon (pid 1 being `init` is not liqmon);
 *  - /proc cannot tell (macOS, Windows, hidepid): true. liqmon refuses and names the file to remove.
 */
export async function isLockHolder(pid: number, recorded: ProcessIdentity | undefined): Promise<boolean> {
  if (!isAlive(pid)) return false;
  const now = await processIdentity(pid);
  if (!now) return true;
  if (recorded) return recorded.boot === now.boot && recorded.start === now.start;
  const command = await commandLine(pid);
  return command === undefined || /liqmon/i.test(command);
}
