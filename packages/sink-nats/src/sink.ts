/**
 * The NATS sink instance: publishes each rendered batch to JetStream and waits for every ack, so a
 * batch counts as delivered only once the stream holds all of it. Any failure retries the whole batch
 * through core's outbox; what already reached the stream is dropped there as a duplicate (same
 * `Nats-Msg-Id`), so a retry never stores a liquidation twice.
 */
import { DeliveryError, type SinkContext, type SinkInstance } from '@liqmon/core';
import { BusConnection } from './bus/connection.js';
import { classifyBusError } from './bus/failure.js';
import { renderPublishes, type NatsMessage } from './message.js';
import type { NatsSinkOptions } from './options.js';

/** Alerts merged into one batch: publishes of a batch go out together and their acks are awaited together. */
export const NATS_MAX_ALERTS_PER_MESSAGE = 200;

export function createNatsSink(options: NatsSinkOptions, context: SinkContext): SinkInstance<NatsMessage> {
  const connection = new BusConnection(options, context.logger, `liqmon sink ${context.name}`);
  return {
    limits: { maxAlertsPerMessage: NATS_MAX_ALERTS_PER_MESSAGE },
    render: (alerts) => renderPublishes(alerts, options.subjectPrefix, options.alerts),
    preview: (message) => message.publishes.map((p) => `${p.subject} ${p.data}`).join('\n'),
    async send(message, _destination, signal) {
      try {
        const { js } = await connection.open();
        signal.throwIfAborted();
        // All at once (the client pipelines them in order); then wait for every ack.
        const acks = message.publishes.map((p) => js.publish(p.subject, p.data, { msgID: p.msgID, timeout: options.timeout }));
        await Promise.all(acks);
      } catch (error) {
        if (error instanceof DeliveryError) throw error;
        throw classifyBusError(error, options.servers);
      }
    },
    stop: () => connection.close(),
  };
}
