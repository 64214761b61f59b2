/**
 * One instance's part in a cluster (`cluster:` in the config). Lifecycle, in order:
 *  1. `ClusterNode.connect`: connect to NATS, open (or create) the KV bucket and the alert stream;
 *  2. the runtime is built with {@link ClusterNode.publish} as its alert route (every alert goes to the
 *     stream instead of local delivery) and {@link ClusterNode.journal} as its outbox journal;
 *  3. `start(delivery)`: heartbeats and lease ticks every third of the lease; while this instance holds
 *     the lease it reads the stream and hands each alert to `delivery`, acknowledging it once delivered;
 *  4. on stop: `stopDelivering()` before the runtime drains (taken alerts then finish), and `close()`
 *     after: the alerts still to publish are published, acknowledgements flushed, the lease released
 *     so that a follower takes over at once, the heartbeat removed, the connection closed.
 */
import type { Alert, Logger, Redactor } from '@liqmon/core';
import { alertId } from '@liqmon/core';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { AckJournal } from './ack-journal.js';
import { AlertConsumer, type AlertTarget } from './alert-consumer.js';
import { AlertPublisher } from './alert-publisher.js';
import { LeaderLease, LEASE_KEY } from './lease.js';
import { Membership } from './members.js';
import { clusterNames, instanceName, renewEvery, type ClusterNames, type ClusterOptions } from './options.js';
import { ensureAlertStream } from './stream.js';
import type { ClusterStatus } from './status.js';

/** Options of {@link ClusterNode.connect}. */
export interface ClusterNodeInit {
  options: ClusterOptions;
  logger: Logger;
  /** The session's redactor: the NATS password or token is added to it. */
  redactor?: Redactor;
  /** @default Date.now */
  now?: () => number;
}

export class ClusterNode {
  readonly instance: string;
  readonly names: ClusterNames;
  /** The leader's outbox journal: acknowledges stream messages once delivered. */
  readonly journal = new AckJournal();
  readonly #nc: NatsConnection;
  readonly #js: JetStreamClient;
  readonly #jsm: JetStreamManager;
  readonly #lease: LeaderLease;
  readonly #members: Membership;
  readonly #publisher: AlertPublisher;
  readonly #logger: Logger;
  readonly #options: ClusterOptions;
  readonly #now: () => number;
  #target: AlertTarget | undefined;
  #consumer: AlertConsumer | undefined;
  #timer: NodeJS.Timeout | undefined;
  #watch: { stop(): void } | undefined;
  #running = true;
  #closing: Promise<void> | undefined;
  #lastError: string | undefined;

  private constructor(init: ClusterNodeInit, nc: NatsConnection, js: JetStreamClient, jsm: JetStreamManager, kv: KV) {
    this.#options = init.options;
    this.#logger = init.logger;
    this.#now = init.now ?? Date.now;
    this.instance = instanceName(init.options);
    this.names = clusterNames(init.options.name);
    this.#nc = nc;
    this.#js = js;
    this.#jsm = jsm;
    this.#members = new Membership(kv, this.instance, this.#now());
    this.#publisher = new AlertPublisher(js, this.names.subject, init.logger);
    this.#lease = new LeaderLease({
      kv,
      instance: this.instance,
      leaseMs: init.options.lease,
      now: this.#now,
      onChange: (isLeader) => this.#onLeadership(isLeader),
      onError: (error) => this.#fail('lease', error),
    });
  }

  /**
   * Connect and prepare the bucket and the stream.
   * @throws Error naming the servers when NATS cannot be reached or JetStream is off.
   */
  static async connect(init: ClusterNodeInit): Promise<ClusterNode> {
    const { options } = init;
    for (const secret of [options.pass, options.token]) if (secret !== undefined) init.redactor?.add(secret);
    const names = clusterNames(options.name);
    const nc = await connect({
      servers: options.nats,
      name: `liqmon cluster ${options.name} ${instanceName(options)}`,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1_000,
      ...(options.user !== undefined ? { user: options.user, pass: options.pass } : {}),
      ...(options.token !== undefined ? { token: options.token } : {}),
    }).catch((error: unknown) => {
      throw new Error(`cluster "${options.name}": cannot connect to NATS at ${options.nats.join(', ')}: ${error instanceof Error ? error.message : String(error)}. Start nats-server with JetStream (-js) or fix cluster.nats.`);
    });
    try {
      const jsm = await jetstreamManager(nc);
      const js = jetstream(nc);
      const kv = await new Kvm(js).create(names.bucket, { ttl: options.lease, history: 1 });
      await ensureAlertStream(jsm, names, options.lease, init.logger);
      return new ClusterNode(init, nc, js, jsm, kv);
    } catch (error) {
      await nc.close().catch(() => undefined);
      throw error;
    }
  }

  /** The runtime's alert route: every alert goes to the stream, with its deterministic id. */
  readonly publish = (alert: Alert, sinks: readonly string[]): void => {
    alert.id ??= alertId(alert);
    this.#publisher.publish(alert, sinks);
  };

  /** True while this instance holds the lease. */
  get isLeader(): boolean {
    return this.#lease.isLeader;
  }

  /** Begin heartbeats and the election; while leader, alerts from the stream go to `target`. */
  async start(target: AlertTarget): Promise<void> {
    this.#target = target;
    const every = renewEvery(this.#options.lease);
    await this.#tick();
    this.#timer = setInterval(() => void this.#tick(), every);
    // A released lease is taken at once, not at the next tick.
    try {
      const kv = await new Kvm(this.#js).open(this.names.bucket);
      const watch = await kv.watch({ key: LEASE_KEY });
      this.#watch = watch;
      void (async () => {
        for await (const entry of watch) if (entry.operation !== 'PUT' && !this.#lease.isLeader && this.#running) void this.#tick();
      })().catch(() => undefined);
    } catch (error) {
      this.#fail('watch', error);
    }
  }

  async #tick(): Promise<void> {
    if (!this.#running) return;
    await this.#lease.tick();
    try {
      await this.#members.beat();
    } catch (error) {
      this.#fail('heartbeat', error);
    }
  }

  #onLeadership(isLeader: boolean): void {
    if (isLeader) {
      this.#logger.info(`cluster "${this.#options.name}": ${this.instance} is the leader now; delivering alerts`);
      if (!this.#target) return;
      const consumer = new AlertConsumer(this.#js, this.#jsm, this.names, this.journal, this.#target, this.#logger);
      this.#consumer = consumer;
      consumer.start().catch((error: unknown) => this.#fail('consumer', error));
    } else if (!this.#running) {
      this.#logger.info(`cluster "${this.#options.name}": ${this.instance} released the lease; another instance takes over`);
    } else {
      this.#logger.warn(`cluster "${this.#options.name}": ${this.instance} is no longer the leader; another instance delivers`);
    }
    if (!isLeader) {
      void this.#consumer?.stop();
      this.#consumer = undefined;
    }
  }

  #fail(what: string, error: unknown): void {
    const message = `${what}: ${error instanceof Error ? error.message : String(error)}`;
    if (message !== this.#lastError) this.#logger.warn(`cluster "${this.#options.name}": ${message}`);
    this.#lastError = message;
  }

  /** How the cluster stands, for `/healthz` and `liqmon status`. */
  status(): ClusterStatus {
    const view = this.#lease.view;
    const now = this.#now();
    return {
      name: this.#options.name,
      instance: this.instance,
      role: view.isLeader ? 'leader' : 'follower',
      ...(view.leader !== undefined ? { leader: view.leader } : {}),
      ...(view.renewedAt !== undefined ? { leaseAgeMs: Math.max(0, now - view.renewedAt) } : {}),
      ...(view.leaderSince !== undefined ? { leaderForMs: Math.max(0, now - view.leaderSince) } : {}),
      leaseMs: this.#options.lease,
      connected: !this.#nc.isClosed() && this.#nc.info !== undefined,
      members: this.#members.members.map((m) => ({ instance: m.instance, host: m.host, pid: m.pid, lastSeenMs: Math.max(0, now - m.seenAt) })),
      published: this.#publisher.published,
      unpublished: this.#publisher.waiting,
      inFlight: this.journal.inFlight,
      ...(this.#lastError !== undefined ? { lastError: this.#lastError } : {}),
    };
  }

  /**
   * Stop taking alerts from the stream (before the runtime drains its outboxes); what Delivery holds
   * is still delivered and acknowledged.
   */
  async stopDelivering(): Promise<void> {
    await this.#consumer?.stop();
  }

  /**
   * After the runtime stopped: publish what is left (up to `deadlineMs`), flush acknowledgements,
   * release the lease, leave, close. Safe twice.
   */
  close(deadlineMs = 5_000): Promise<void> {
    this.#closing ??= this.#close(deadlineMs);
    return this.#closing;
  }

  async #close(deadlineMs: number): Promise<void> {
    this.#running = false;
    clearInterval(this.#timer);
    this.#watch?.stop();
    await this.stopDelivering();
    if (!(await this.#publisher.flush(deadlineMs))) this.#logger.warn(`cluster: ${this.#publisher.waiting} alert(s) could not be published to NATS before shutdown`);
    await this.#consumer?.acknowledged();
    await this.#nc.flush().catch(() => undefined);
    await this.#lease.release();
    await this.#members.leave().catch(() => undefined);
    await this.#nc.drain().catch(() => this.#nc.close());
  }
}
