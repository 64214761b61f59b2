/**
 * Members of the cluster: each instance writes `members.<instance>` into the cluster's KV bucket every
 * third of the lease (a heartbeat); the bucket's TTL (the lease time) removes the key of an instance
 * that stopped. The list is read back at each heartbeat, so that `/healthz` answers from memory.
 */
import { hostname } from 'node:os';
import type { KV } from '@nats-io/kv';

/** One instance as its heartbeat describes it. */
export interface Member {
  instance: string;
  host: string;
  pid: number;
  /** When the instance started, ms since epoch. */
  startedAt: number;
  /** When it last wrote its heartbeat, ms since epoch (the KV entry's time). */
  seenAt: number;
}

const PREFIX = 'members.';

/** Heartbeat of this instance and the members' list. */
export class Membership {
  readonly #kv: KV;
  readonly #instance: string;
  readonly #startedAt: number;
  #members: Member[] = [];

  constructor(kv: KV, instance: string, startedAt: number) {
    this.#kv = kv;
    this.#instance = instance;
    this.#startedAt = startedAt;
  }

  /** The members seen at the last heartbeat, by name. */
  get members(): readonly Member[] {
    return this.#members;
  }

  /** Write this instance's heartbeat, then read every member's. */
  async beat(): Promise<void> {
    await this.#kv.put(`${PREFIX}${this.#instance}`, JSON.stringify({ instance: this.#instance, host: hostname(), pid: process.pid, startedAt: this.#startedAt }));
    const members: Member[] = [];
    for await (const key of await this.#kv.keys(`${PREFIX}>`)) {
      const entry = await this.#kv.get(key);
      if (!entry || entry.operation !== 'PUT') continue;
      const value = entry.json<Omit<Member, 'seenAt'>>();
      members.push({ ...value, seenAt: entry.created.getTime() });
    }
    this.#members = members.sort((a, b) => a.instance.localeCompare(b.instance));
  }

  /** Remove this instance's heartbeat (clean stop). */
  async leave(): Promise<void> {
    await this.#kv.purge(`${PREFIX}${this.#instance}`);
  }
}
