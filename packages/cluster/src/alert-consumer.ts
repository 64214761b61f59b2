/**
 * The leader delivers from the alert stream through one durable consumer. The stream keeps a message
 * until it is acknowledged (work-queue retention), and a new leader deletes and creates the consumer
 * again before it reads: the new consumer starts at the first message still in the stream, which is
 * exactly what no leader acknowledged, including what the old leader had taken but not delivered.
 */
import type { Logger } from '@liqmon/core';
import { AckPolicy, DeliverPolicy, JetStreamApiCodes, JetStreamApiError, type ConsumerMessages, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { AckJournal } from './ack-journal.js';
import type { StreamedAlert } from './alert-publisher.js';
import type { ClusterNames } from './options.js';

/**
 * How long the server waits for an acknowledgement before it delivers a message again: long, because
 * core's Delivery retries by itself (a redelivery to the same leader is ignored by alert id), and a
 * takeover does not wait for it (the consumer is created anew).
 */
export const ACK_WAIT_MS = 10 * 60_000;
/** Most alerts taken from the stream and not acknowledged yet; Delivery's own queues sit behind it. */
export const MAX_ACK_PENDING = 10_000;

/** Where the leader hands each alert: core's Delivery fits. */
export interface AlertTarget {
  deliver(alert: StreamedAlert['alert'], sinks: readonly string[]): void;
}

/** One leadership term's reading of the alert stream. */
export class AlertConsumer {
  #messages: ConsumerMessages | undefined;
  #loop: Promise<void> | undefined;
  #stopped = false;
  /** Acknowledgements sent and not yet confirmed by the server. */
  readonly #acks = new Set<Promise<unknown>>();

  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly names: ClusterNames,
    private readonly journal: AckJournal,
    private readonly target: AlertTarget,
    private readonly logger: Logger,
  ) {}

  /** Recreate the consumer and start delivering from it. */
  async start(): Promise<void> {
    const { stream, consumer } = this.names;
    try {
      await this.jsm.consumers.delete(stream, consumer);
    } catch (error) {
      if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound)) throw error;
    }
    await this.jsm.consumers.add(stream, {
      durable_name: consumer,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(ACK_WAIT_MS),
      max_ack_pending: MAX_ACK_PENDING,
    });
    if (this.#stopped) return;
    const messages = await (await this.js.consumers.get(stream, consumer)).consume({ max_messages: 500 });
    this.#messages = messages;
    this.#loop = (async () => {
      for await (const message of messages) {
        let item: StreamedAlert;
        try {
          item = message.json<StreamedAlert>();
        } catch {
          this.logger.warn(`cluster: skipped a malformed message in ${stream} (sequence ${message.seq})`);
          message.ack();
          continue;
        }
        const id = item.alert.id;
        if (id === undefined || this.journal.has(id)) continue; // a redelivery of what is being delivered
        // Confirmed acknowledgements: a clean handover waits for them before it releases the lease,
        // so that the next leader's consumer cannot see an alert this one delivered.
        this.journal.track(id, {
          ack: () => {
            const acked = message.ackAck().catch(() => false);
            this.#acks.add(acked);
            void acked.finally(() => this.#acks.delete(acked));
          },
        });
        this.target.deliver(item.alert, item.sinks);
        this.journal.handedOver(id);
      }
    })();
  }

  /** Resolves when every acknowledgement sent so far was confirmed (or failed). */
  async acknowledged(): Promise<void> {
    while (this.#acks.size > 0) await Promise.all([...this.#acks]);
  }

  /** Stop taking alerts (what was taken and not delivered stays in the stream for the next leader). */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#messages?.close();
    await this.#loop?.catch(() => undefined);
  }
}
