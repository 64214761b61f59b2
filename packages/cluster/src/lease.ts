/**
 * Leader election through a JetStream KV lease. The key `leader` holds the leader's name; the bucket's
 * TTL is the lease time, so a leader that stops renewing loses the key when it expires. Every instance
 * calls {@link LeaderLease.tick} every third of the lease:
 *  - a follower tries `create` (succeeds only when the key is absent: expired or released);
 *  - the leader renews with `update` at the revision it holds (compare-and-set), so two instances can
 *    never both believe they renewed;
 *  - a leader that could not renew for two thirds of the lease steps down by itself before the key
 *    can expire, so that two leaders never deliver at once.
 * A clean stop deletes the key at the held revision: a follower watching the key takes over at once.
 */
import type { KV } from '@nats-io/kv';

/** The key of the lease in the cluster's bucket. */
export const LEASE_KEY = 'leader';

/** What the lease key holds (JSON). */
export interface LeaseValue {
  instance: string;
  /** When this instance took the lease, ms since epoch. */
  since: number;
}

/** How this instance sees the lease. */
export interface LeaseView {
  /** True while this instance holds the lease. */
  isLeader: boolean;
  /** The leader's name, when known. */
  leader?: string;
  /** When the leader took the lease, ms since epoch. */
  leaderSince?: number;
  /** When the lease was last written (taken or renewed), ms since epoch. */
  renewedAt?: number;
}

/** Options of {@link LeaderLease}. */
export interface LeaseOptions {
  kv: KV;
  instance: string;
  leaseMs: number;
  /** Called when this instance becomes leader (true) or stops being leader (false). */
  onChange: (isLeader: boolean) => void;
  /** Called with a failure of a KV call (the tick goes on). */
  onError: (error: unknown) => void;
  /** @default Date.now */
  now?: () => number;
}

export class LeaderLease {
  readonly #o: LeaseOptions;
  readonly #now: () => number;
  /** Revision of the lease entry this instance wrote last, while it leads. */
  #revision: number | undefined;
  #since = 0;
  #lastRenewed = 0;
  #view: LeaseView = { isLeader: false };
  #busy: Promise<void> | undefined;

  constructor(options: LeaseOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
  }

  /** The lease as last seen. */
  get view(): LeaseView {
    return this.#view;
  }

  get isLeader(): boolean {
    return this.#revision !== undefined;
  }

  /** Take or renew the lease, and refresh {@link view}. One at a time: a tick during a tick waits for it. */
  tick(): Promise<void> {
    this.#busy ??= this.#tick().finally(() => (this.#busy = undefined));
    return this.#busy;
  }

  async #tick(): Promise<void> {
    const { kv, instance, leaseMs } = this.#o;
    const value = (): Uint8Array => new TextEncoder().encode(JSON.stringify({ instance, since: this.#since } satisfies LeaseValue));
    try {
      if (this.#revision !== undefined) {
        try {
          this.#revision = await kv.update(LEASE_KEY, value(), this.#revision);
          this.#lastRenewed = this.#now();
        } catch (error) {
          // Someone else holds it now (our entry expired or was replaced): we lost it.
          if (isConflict(error)) this.#lose();
          else if (this.#now() - this.#lastRenewed >= (leaseMs * 2) / 3) {
            this.#lose();
            throw error;
          } else throw error;
        }
      } else {
        this.#since = this.#now();
        try {
          this.#revision = await kv.create(LEASE_KEY, value());
          this.#lastRenewed = this.#now();
          this.#o.onChange(true);
        } catch (error) {
          if (!isConflict(error)) throw error;
        }
      }
    } catch (error) {
      this.#o.onError(error);
    }
    await this.#refresh();
  }

  async #refresh(): Promise<void> {
    if (this.#revision !== undefined) {
      this.#view = { isLeader: true, leader: this.#o.instance, leaderSince: this.#since, renewedAt: this.#lastRenewed };
      return;
    }
    try {
      const entry = await this.#o.kv.get(LEASE_KEY);
      if (!entry || entry.operation !== 'PUT') this.#view = { isLeader: false };
      else {
        const held = entry.json<LeaseValue>();
        this.#view = { isLeader: false, leader: held.instance, leaderSince: held.since, renewedAt: entry.created.getTime() };
      }
    } catch (error) {
      this.#o.onError(error);
    }
  }

  #lose(): void {
    this.#revision = undefined;
    this.#view = { isLeader: false };
    this.#o.onChange(false);
  }

  /** Give the lease up (delete at the held revision), so that a follower takes over at once. */
  async release(): Promise<void> {
    await this.#busy;
    const revision = this.#revision;
    if (revision === undefined) return;
    this.#revision = undefined;
    this.#view = { isLeader: false };
    try {
      await this.#o.kv.delete(LEASE_KEY, { previousSeq: revision });
    } catch (error) {
      // Already expired or taken: nothing to give up.
      if (!isConflict(error)) this.#o.onError(error);
    }
    this.#o.onChange(false);
  }
}

/** True for JetStream's "wrong last sequence" (the compare-and-set lost) and "key exists". */
function isConflict(error: unknown): boolean {
  return error instanceof Error && /wrong last sequence|key exists/i.test(error.message);
}
