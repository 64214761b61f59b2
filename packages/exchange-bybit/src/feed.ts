/**
 * All connections of one category. Topics are spread over connections of at most
 * `topicsPerConnection` each; an instrument refresh adds and removes topics on the live connections
 * (filling the ones with room first, opening new ones only for the overflow) and never reconnects
 * anything, because liquidations that happen during a reconnect are lost for good.
 */
import type { Logger, RawFrame } from '@liqmon/core';
import { BybitConnection, type BybitConnectionHealth, type WsOverrides } from './connection.js';
import type { BybitCategory } from './options.js';
import { planConnections, roomFor } from './plan.js';

/** Options of {@link BybitFeed}. */
export interface BybitFeedOptions {
  category: BybitCategory;
  /** Full URL of the category's stream, e.g. `wss://stream.bybit.com/v5/public/linear`. */
  url: string;
  topicsPerConnection: number;
  onFrame(frame: RawFrame): void;
  logger: Logger;
  signal?: AbortSignal;
  ws?: WsOverrides;
}

/** What an update changed. */
export interface TopicChanges {
  added: string[];
  removed: string[];
}

/** The connections of one category. */
export class BybitFeed {
  readonly category: BybitCategory;
  readonly #options: BybitFeedOptions;
  readonly #connections: BybitConnection[] = [];
  #opened = 0;
  #stopped = false;

  constructor(options: BybitFeedOptions) {
    this.#options = options;
    this.category = options.category;
  }

  /** Every topic this feed carries. */
  get topics(): string[] {
    return this.#connections.flatMap((connection) => connection.topics);
  }

  /** Open connections for `topics`; resolves when all are subscribed. */
  async start(topics: readonly string[]): Promise<void> {
    await this.#open(topics);
  }

  /**
   * Make the feed carry exactly `topics`: unsubscribe the ones that went away and subscribe the new
   * ones on the live connections. New connections open only when the existing ones are full.
   */
  async update(topics: readonly string[]): Promise<TopicChanges> {
    const desired = new Set(topics);
    const current = new Set(this.topics);
    const removed = [...current].filter((topic) => !desired.has(topic));
    let remaining = topics.filter((topic) => !current.has(topic));
    const added = [...remaining];
    if (removed.length > 0) {
      for (const connection of this.#connections) connection.remove(removed);
    }
    for (const connection of this.#connections) {
      if (remaining.length === 0) break;
      const take = roomFor(connection.topics, remaining, this.#options.topicsPerConnection);
      if (take === 0) continue;
      connection.add(remaining.slice(0, take));
      remaining = remaining.slice(take);
    }
    await Promise.all([this.#open(remaining), ...this.#connections.map((connection) => connection.settled())]);
    return { added, removed };
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all(this.#connections.map((connection) => connection.stop()));
  }

  /** True when every connection is open. */
  get connected(): boolean {
    return this.#connections.length > 0 && this.#connections.every((connection) => connection.connected);
  }

  health(): BybitConnectionHealth[] {
    return this.#connections.map((connection) => connection.health());
  }

  async #open(topics: readonly string[]): Promise<void> {
    if (this.#stopped || topics.length === 0) return;
    const created = planConnections(topics, this.#options.topicsPerConnection).map((group) => {
      this.#opened += 1;
      const name = `${this.category}#${this.#opened}`;
      return new BybitConnection({
        category: this.category,
        url: this.#options.url,
        name,
        topics: group,
        onFrame: this.#options.onFrame,
        logger: this.#options.logger.child({ connection: name }),
        signal: this.#options.signal,
        ws: this.#options.ws,
      });
    });
    this.#connections.push(...created);
    await Promise.all(created.map((connection) => connection.start()));
  }
}
