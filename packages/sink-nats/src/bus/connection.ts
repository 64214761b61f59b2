/**
 * One NATS connection for a liqmon plugin, opened on first use (a plugin's `create` must do no I/O),
 * and the stream liqmon writes to: looked up once per connection, created when absent. The client
 * reconnects by itself once connected (without limit, every 2 s); a first connection that fails
 * is tried again at the next use.
 */
import { jetstream, jetstreamManager, JetStreamApiCodes, JetStreamApiError, type JetStreamClient, type JetStreamManager, type StreamInfo } from '@nats-io/jetstream';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '@liqmon/core';
import type { BusOptions } from './options.js';
import { streamSubjects } from './subjects.js';

/** How long JetStream remembers a message id to drop a duplicate, when liqmon creates the stream. */
export const DUPLICATE_WINDOW_MS = 120_000;

/** What a plugin holds while connected. */
export interface Bus {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
}

/** A lazily opened connection with its counters, shared by a sink or source instance. */
export class BusConnection {
  #bus: Promise<Bus> | undefined;
  #connected = false;
  #reconnects = 0;
  #closed = false;

  constructor(
    private readonly options: BusOptions,
    private readonly logger: Logger,
    /** Connection name shown by the server (`nats server report connections`). */
    private readonly name: string,
  ) {}

  /** True while the client holds an open connection. */
  get connected(): boolean {
    return this.#connected;
  }

  /** Reconnects since the first connection. */
  get reconnects(): number {
    return this.#reconnects;
  }

  /** The open connection and the stream, opening them if needed. Rejects when the server cannot be reached. */
  open(): Promise<Bus> {
    if (this.#closed) return Promise.reject(new Error('the NATS connection is closed'));
    this.#bus ??= this.#open().catch((error: unknown) => {
      this.#bus = undefined; // try again next time
      throw error;
    });
    return this.#bus;
  }

  async #open(): Promise<Bus> {
    const { options } = this;
    const nc = await connect({
      servers: options.servers,
      name: this.name,
      timeout: options.timeout,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 2_000,
      ...(options.user !== undefined ? { user: options.user, pass: options.pass } : {}),
      ...(options.token !== undefined ? { token: options.token } : {}),
    }).catch((error: unknown) => {
      // The client's message ("connection refused") does not say where: the logs must.
      if (error instanceof Error) error.message = `cannot connect to NATS at ${options.servers.join(', ')}: ${error.message}`;
      throw error;
    });
    this.#connected = true;
    void this.#watch(nc);
    try {
      const jsm = await jetstreamManager(nc, { timeout: options.timeout });
      await ensureStream(jsm, options, this.logger);
      return { nc, js: jetstream(nc, { timeout: options.timeout }), jsm };
    } catch (error) {
      await nc.close().catch(() => undefined);
      throw error;
    }
  }

  async #watch(nc: NatsConnection): Promise<void> {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect') {
        this.#connected = false;
        this.logger.warn(`lost the connection to NATS (${status.server}); reconnecting`);
      } else if (status.type === 'reconnect') {
        this.#connected = true;
        this.#reconnects++;
        this.logger.info(`reconnected to NATS (${status.server})`);
      }
    }
    this.#connected = false;
  }

  /** Close the connection (after flushing what was published). Safe twice. */
  async close(): Promise<void> {
    this.#closed = true;
    const bus = await this.#bus?.catch(() => undefined);
    this.#connected = false;
    if (bus && !bus.nc.isClosed()) await bus.nc.drain().catch(() => bus.nc.close());
  }
}

/**
 * The stream for `<prefix>.>`: looked up by name, created when absent (file storage, `maxAge`, a
 * duplicate window of {@link DUPLICATE_WINDOW_MS}). An existing stream is used as it is, and must
 * cover the prefix's subjects (else publishing would find no stream): that is checked.
 */
export async function ensureStream(jsm: JetStreamManager, options: Pick<BusOptions, 'stream' | 'subjectPrefix' | 'maxAge'>, logger: Logger): Promise<StreamInfo> {
  const subjects = streamSubjects(options.subjectPrefix);
  try {
    const info = await jsm.streams.info(options.stream);
    if (!info.config.subjects?.some((subject) => covers(subject, subjects))) {
      throw new Error(
        `the JetStream stream "${options.stream}" exists but does not hold ${subjects} (its subjects: ${(info.config.subjects ?? []).join(', ') || 'none'}); ` +
          `add ${subjects} to it (nats stream edit ${options.stream} --subjects ...), or set \`stream\` to another name so that liqmon creates its own`,
      );
    }
    return info;
  } catch (error) {
    if (!(error instanceof JetStreamApiError) || error.code !== JetStreamApiCodes.StreamNotFound) throw error;
  }
  logger.info(`creating the JetStream stream "${options.stream}" for ${subjects}`);
  try {
    return await jsm.streams.add({
      name: options.stream,
      subjects: [subjects],
      max_age: nanos(options.maxAge),
      duplicate_window: nanos(Math.min(DUPLICATE_WINDOW_MS, options.maxAge)),
    });
  } catch (error) {
    // Another instance created it at the same moment: use theirs.
    if (error instanceof JetStreamApiError && /already in use/i.test(error.message)) return jsm.streams.info(options.stream);
    throw error;
  }
}

/** True when the stream subject `held` covers every subject of `wanted` (`a.>` covers `a.>` and `a.b.>`; `>` covers all). */
function covers(held: string, wanted: string): boolean {
  if (held === '>' || held === wanted) return true;
  return held.endsWith('.>') && wanted.startsWith(held.slice(0, -1));
}
